package server

import "sync"

// maxPooledSend is the largest response SendResponse builds in a reused
// buffer; larger ones get a buffer of their own.
const maxPooledSend = 64 << 10

// The buffers a request is read into and a response is built in, reused
// from one request to the next when nobody reads the request log: a
// RequestLog hands them to its reader, who may keep them, and then each
// request gets new ones.
var (
	recvBuffers = sync.Pool{New: func() any { b := make([]byte, RequestLimit); return &b }}
	sendBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 4<<10); return &b }}
)
