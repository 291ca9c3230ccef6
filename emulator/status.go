package emulator

import "time"

// Status says which script an Emulator runs and how its last reload went,
// for a dashboard or a log.
type Status struct {
	// Script is the running script's name, as ScriptName returns it.
	Script string `json:"script"`
	// Watch reports whether the script is reloaded when it changes.
	Watch bool `json:"watch"`
	// Reloads counts the successful reloads since the emulator started.
	Reloads int `json:"reloads"`
	// LastReload is when a reload was last tried; zero if never.
	LastReload time.Time `json:"last_reload,omitzero"`
	// ReloadError is why the last reload failed (the last good script
	// keeps serving), or "" if it worked or none was tried.
	ReloadError string `json:"reload_error,omitempty"`
	// State says what a real interpreter is doing with the script
	// ("running under micropython", "exited with code 1"); it is empty for
	// a Starlark script, which the emulator runs itself.
	State string `json:"state,omitempty"`
	// Error is the traceback of the exception that ended a real
	// interpreter's script, or why it did not start; "" when none did.
	Error string `json:"error,omitempty"`
}

// Status returns the running script's name and the outcome of the last
// reload.
func (e *Emulator) Status() Status {
	e.mu.Lock()
	defer e.mu.Unlock()
	st := e.status
	st.Script, st.Watch = e.current.name, e.cfg.Watch
	return st
}

// recordReloadLocked notes a reload's outcome for Status; err nil is
// success. e.mu must be held, so the outcome changes with the script.
func (e *Emulator) recordReloadLocked(err error) {
	if e.statusCh != nil {
		close(e.statusCh)
		e.statusCh = nil
	}
	e.status.LastReload = time.Now()
	e.status.ReloadError = ""
	if err != nil {
		e.status.ReloadError = err.Error()
		return
	}
	e.status.Reloads++
}
