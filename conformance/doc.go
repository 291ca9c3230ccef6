// Package conformance checks an implementation of EuroPi's
// experimental.http_server against scenarios (package scenario): it sends
// each scenario's raw bytes over TCP to a target's address, captures the
// bytes, the connection ends and the device script's escapes that come
// back, and checks them against the scenario's expectation as resolved for
// the target's labels (Resolve, Check). Runner runs scenarios one at a
// time with deadlines and retries; Update and UpdateOverride rewrite the
// expectations behind failures from what a target actually sent (conform
// --update), because they need a failure's clause and capture, which only
// this package knows.
//
// The package talks bytes over connections only. It imports neither the
// server nor the emulator, so the same suite runs against the emulator, a
// Pico W running the fixture (conformance/fixture), or upstream's
// http_server.py started on loopback.
//
// A target running under a device profile (the emulator with conform
// --profile) reports what the profile's rules did to each connection as a
// ProfileReporter; each Result names those rules (Result.ProfileRules) and
// the reports print them beside the scenario.
//
// A target with a panel (the emulator, through internal/emutarget) sets a
// scenario's recorded panel inputs, its [inputs] section, as a
// PanelSetter before each attempt; other targets ignore the section.
//
// The packages around it: scenario is the file format, response cuts a
// response into its parts and reads error pages, report writes the text,
// JSON, JUnit and matrix reports, and conformancetest is the go test entry
// point (Run, in the style of golang.org/x/net/nettest), kept apart so
// that testing is not linked into the europi-http binary.
package conformance
