// Package cdp drives a headless Chromium over the DevTools protocol, just
// enough for the dashboard's end-to-end test (open pages, run JavaScript,
// press the mouse, take screenshots) and for the client-compatibility
// report (raw calls and the events of a page load).
//
// It speaks the protocol's JSON messages itself instead of pulling in a
// full client library: over the pair of pipes --remote-debugging-pipe
// gives a browser it starts (so no DevTools port is open to other local
// users), or over golang.org/x/net/websocket to a DevTools URL (Dial).
// It starts Chromium with the flags that keep it off the network (no
// background networking, component updates or sync), on a fresh profile,
// with its sandbox unless it must run without (as root).
package cdp
