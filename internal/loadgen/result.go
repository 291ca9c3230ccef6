package loadgen

import "time"

// Result is what a run measured.
type Result struct {
	// Addr is the address the run dialled.
	Addr string `json:"addr"`
	// Connections is how many requests were in flight at once.
	Connections int `json:"connections"`
	// Elapsed is the wall time from the first dial to the last request's
	// end.
	Elapsed time.Duration `json:"elapsed_ns"`
	// Requests counts the requests that finished, well or not: OK plus
	// every error.
	Requests int64 `json:"requests"`
	// OK counts complete responses.
	OK int64 `json:"ok"`
	// Unfinished counts requests cut off because the run ended (its
	// duration ran out or its context was cancelled); they are neither OK
	// nor errors.
	Unfinished int64 `json:"unfinished"`
	// RequestsPerSec is OK divided by Elapsed.
	RequestsPerSec float64 `json:"requests_per_sec"`
	// Bytes counts every response byte read, complete responses or not.
	Bytes int64 `json:"bytes"`
	// Latency describes the complete responses, from dial to close.
	Latency Latency `json:"latency"`
	// Errors counts the failed requests by kind.
	Errors ErrorCounts `json:"errors"`
	// ErrorSamples holds the first error message seen of each kind.
	ErrorSamples map[ErrorKind]string `json:"error_samples,omitempty"`
	// Statuses counts complete responses by status code ("200", "500"),
	// or "invalid" when the first line is not "HTTP/x.y NNN".
	Statuses map[string]int64 `json:"statuses"`
}

// Latency holds latency figures of complete responses, each from dial to
// the server's close. Percentiles are accurate to about 1.6%; Min, Max and
// Mean are exact.
type Latency struct {
	// Min is the fastest response.
	Min time.Duration `json:"min_ns"`
	// Mean is the average.
	Mean time.Duration `json:"mean_ns"`
	// P50 is the median.
	P50 time.Duration `json:"p50_ns"`
	// P90 is the 90th percentile.
	P90 time.Duration `json:"p90_ns"`
	// P99 is the 99th percentile.
	P99 time.Duration `json:"p99_ns"`
	// Max is the slowest response.
	Max time.Duration `json:"max_ns"`
}

// ErrorCounts counts failed requests by kind.
type ErrorCounts struct {
	// Refused counts refused connections.
	Refused int64 `json:"refused"`
	// Reset counts connections reset before the response was complete.
	Reset int64 `json:"reset"`
	// Timeout counts requests that hit Config.Timeout.
	Timeout int64 `json:"timeout"`
	// ShortBody counts responses cut before their end.
	ShortBody int64 `json:"short_body"`
	// Other counts every other failure.
	Other int64 `json:"other"`
}

// Total returns the number of failed requests.
func (e ErrorCounts) Total() int64 {
	return e.Refused + e.Reset + e.Timeout + e.ShortBody + e.Other
}

// Get returns the count of one kind.
func (e ErrorCounts) Get(k ErrorKind) int64 {
	switch k {
	case Refused:
		return e.Refused
	case Reset:
		return e.Reset
	case Timeout:
		return e.Timeout
	case ShortBody:
		return e.ShortBody
	}
	return e.Other
}

// add counts one failure of kind k.
func (e *ErrorCounts) add(k ErrorKind) {
	switch k {
	case Refused:
		e.Refused++
	case Reset:
		e.Reset++
	case Timeout:
		e.Timeout++
	case ShortBody:
		e.ShortBody++
	default:
		e.Other++
	}
}

// Progress is a snapshot of a run under way, for a progress line.
type Progress struct {
	// Elapsed is the time since the run started.
	Elapsed time.Duration
	// OK counts complete responses so far.
	OK int64
	// Errors counts failed requests so far.
	Errors int64
	// Rate is complete responses per second since the previous snapshot.
	Rate float64
	// Final is set on the last call, after every request has ended.
	Final bool
}
