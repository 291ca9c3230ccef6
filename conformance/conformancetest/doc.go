// Package conformancetest is the conformance suite as a go test: Run takes
// a factory for a conformance.Target and runs every scenario as a subtest,
// in the style of golang.org/x/net/nettest's TestConn. An implementation's
// own tests call it (the server's and the emulator's do), so each runs the
// shared suite in its own package.
//
// It is the only conformance package that imports testing; the europi-http
// binary never links it.
package conformancetest
