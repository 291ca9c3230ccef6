// Package broadcast wakes every goroutine waiting for some state to change,
// the close-and-replace way: a waiter takes the current channel, and the
// state's owner closes it at the next change, so any number of waiters
// wake at once and each comes back for a fresh channel.
package broadcast
