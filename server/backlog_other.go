//go:build !unix

package server

// setBacklog leaves the backlog as it is where listen(2) cannot be called
// again on a listening socket.
func setBacklog(uintptr, int) error { return nil }
