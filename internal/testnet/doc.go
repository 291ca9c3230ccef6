// Package testnet is the scaffolding the repository's tests share for
// talking to fake peers over loopback TCP: a fake server that hands each
// accepted connection to a handler (one at a time, as the device serves, or
// concurrently), the canned behaviours most fakes need, and a buffer that a
// server goroutine writes while the test reads it.
//
// Only tests import it: it imports testing, which must not be linked into
// the europi-http binary.
package testnet
