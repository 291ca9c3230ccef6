package server

import "sync"

// maxPooledSend is the largest response SendResponse builds in a reused
// buffer; larger ones get a buffer of their own.
const maxPooledSend = 64 << 10

// The buffers a request is read into and a response is built in, reused
// from one request to the next. A RequestLog hands them to its reader, who
// may keep them and give them back with Recycle when done.
var (
	recvBuffers = sync.Pool{New: func() any { b := make([]byte, RequestLimit); return &b }}
	sendBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 4<<10); return &b }}
)

// Recycle gives the Request and Response of a RequestLog back to the
// server for later requests, once whoever kept them is done: nothing may
// read or write them afterwards. Slices the server cannot reuse (of
// another size, or not its own) are left to the garbage collector.
func Recycle(request, response []byte) {
	if cap(request) == RequestLimit {
		b := request[:RequestLimit]
		recvBuffers.Put(&b)
	}
	if c := cap(response); c >= 1<<10 && c <= maxPooledSend+maxPooledSend/4 {
		b := response[:0]
		sendBuffers.Put(&b)
	}
}
