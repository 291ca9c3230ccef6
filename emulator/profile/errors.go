package profile

import "errors"

// RuleError is the error a wrapped connection returns when a rule, not the
// host, made a call fail. Err is what the device's socket would have raised
// (syscall.EAGAIN, syscall.ETIMEDOUT), so errors.Is still finds it.
type RuleError struct {
	// Rule is the name of the rule that made the call fail.
	Rule string
	// Op is the socket call: "recv" or "send".
	Op string
	// Err is the error the device's socket would have raised.
	Err error
}

// Error names the rule and the device's error; the server's OSError
// around it already names the call.
func (e *RuleError) Error() string {
	return "device rule " + e.Rule + ": " + e.Err.Error()
}

// Unwrap returns the device's error.
func (e *RuleError) Unwrap() error { return e.Err }

// RuleOf returns the name of the rule behind err, if a rule caused it.
func RuleOf(err error) (string, bool) {
	var re *RuleError
	if errors.As(err, &re) {
		return re.Rule, true
	}
	return "", false
}
