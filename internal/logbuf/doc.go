// Package logbuf buffers log lines for a serving loop: a line costs a
// copy into memory, not a system call, and reaches its destination within
// a fraction of a second, and at Close.
package logbuf
