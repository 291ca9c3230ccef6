// Package upstream runs EuroPi's own experimental/http_server.py on loopback,
// so tests can send it raw bytes and compare what it answers with what the
// emulator answers.
//
// Start launches a EuroPi script (the conformance fixture, or a contrib
// script such as http_control.py) from a EuroPi checkout under python3 or
// MicroPython's unix port. The project's own stand-ins for the europi,
// europi_log and europi_script modules replace the hardware, and a wrapped
// socket module makes every bind land on 127.0.0.1 and the port Start chose,
// whatever the script asked for. Nothing from the checkout is copied into
// this repository: tests find it through $EUROPI_FIRMWARE (see
// FirmwareFromEnv) and skip when it is not set.
package upstream
