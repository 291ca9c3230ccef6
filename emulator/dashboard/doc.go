// Package dashboard serves a browser view of a running emulator on a port
// of its own, so the device port stays byte-faithful and never carries
// dashboard traffic.
//
// The page draws the EuroPi panel: the 128×32 OLED pixel for pixel (a
// canvas scaled up without smoothing), the six CV outputs as bars with
// their voltage, k1 and k2 as knobs, b1 and b2 as press-and-hold buttons, din
// as a toggle and ain as a slider, all writing the emulator's IO. Beside
// it are the running script and the outcome of its last reload (for a
// script a real interpreter runs, `europi-http run`, what the interpreter
// does and the traceback that ended it), a link to the device page, and a live log of the device's requests whose rows open
// the raw request and response bytes, escaped.
//
// Everything the page does goes through a small JSON API under /api/,
// which scripts and tests use too (it sets inputs as the CLI's --set does):
//
//	GET  /api/state      the panel (emulator.IOState)
//	GET  /api/display    the OLED's frame (DisplayReply: hex rows and bytes)
//	POST /api/inputs     set inputs: {"k1": 40, "b1": 1}; all or nothing
//	GET  /api/status     the script, its last reload, the device page's URL
//	GET  /api/log        the request log, oldest first (?after=ID for newer)
//	GET  /api/log/{id}   one request with its raw bytes
//	GET  /api/events     Server-Sent Events: hello, state, display, status, log
//
// The page, its script and its style are embedded in the binary: no CDN,
// no external fonts, and it works offline.
package dashboard
