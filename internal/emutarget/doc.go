// Package emutarget runs the emulator as a conformance target: an
// emulator.Emulator serving a script (the conformance fixture's Starlark
// twin unless told otherwise) on a free loopback port, optionally under a
// device profile, described as a conformance.Target that reports the
// escapes upstream's harness would see and what the profile's rules did.
//
// The CLI's conform, record and clients commands start their in-process
// emulator through it, and the emulator's own tests run the shared
// conformance suite against it. It joins the two sides the dependency
// rules keep apart (conformance imports neither server nor emulator), so
// it lives outside both.
package emutarget
