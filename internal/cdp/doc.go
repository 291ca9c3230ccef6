// Package cdp drives a headless Chromium over the DevTools protocol, just
// enough for the dashboard's end-to-end test (open pages, run JavaScript,
// press the mouse, take screenshots) and for the client-compatibility
// report (raw calls and the events of a page load).
//
// It speaks the protocol's JSON messages over golang.org/x/net/websocket
// instead of pulling in a full client library, and starts Chromium with
// the flags that keep it off the network (no background networking,
// component updates or sync), on a fresh profile, listening for DevTools
// on a loopback port of its choosing.
package cdp
