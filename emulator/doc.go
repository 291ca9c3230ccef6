// Package emulator runs EuroPi handler scripts: Starlark programs that
// read like the MicroPython code a EuroPi author writes for
// experimental.http_server, served by the Go core in package server with
// upstream's exact bytes on the wire.
//
// A script creates its server with HttpServer(port=80), registers a GET
// and a POST handler with server.get_handler(fn) and
// server.post_handler(fn), and answers through server.send_response,
// send_html, send_json and send_error_page. It drives an emulated EuroPi
// panel (cv1…cv6, k1, k2, b1, b2, din, ain, and the 128×32 OLED as a
// Display) whose state lives in an IO shared with the command line and any
// dashboard, so it persists across requests and script reloads. See README.md for the whole script API.
//
// Scripts are hermetic: the only file access is load_file, confined to the
// script's folder and to regular files, and every handler call (and the
// load) has a step limit, a depth limit, a memory limit that operations
// check before they allocate, and a wall-clock limit, so a runaway loop,
// recursion, allocation or computation ends as a 500 page (a MemoryError
// for memory) instead of a hung or crashed emulator; README.md says what
// the memory limit does not cover.
//
// The embedded examples (Examples) include the default, a port of
// upstream's contrib/http_control.py.
package emulator
