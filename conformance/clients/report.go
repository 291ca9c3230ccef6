package clients

import (
	"context"
	"time"
)

// ClientInfo is one client column: what it is, or why it is missing.
type ClientInfo struct {
	// Name is the client's short name.
	Name string `json:"name"`
	// Version says what ran, such as "curl 7.88.1".
	Version string `json:"version,omitempty"`
	// Missing says why the client could not run here; "" when it ran.
	Missing string `json:"missing,omitempty"`
}

// Row is one scenario's request and what every client made of the
// answer.
type Row struct {
	// Request is what was sent.
	Request Request `json:"request"`
	// Device is what the server sent for the scenario's own bytes.
	Device Device `json:"device"`
	// Outcomes are in the order of Report.Clients.
	Outcomes []Outcome `json:"outcomes"`
}

// Report is a whole run.
type Report struct {
	// Target is the address the requests went to.
	Target string `json:"target"`
	// Clients are the columns.
	Clients []ClientInfo `json:"clients"`
	// Rows are the scenarios, in order.
	Rows []Row `json:"rows"`
	// Duration is how long the run took.
	Duration time.Duration `json:"duration_ns"`
}

// Runner sends requests through clients, one exchange at a time (a device
// serves one connection at a time).
type Runner struct {
	// Clients are the clients to run, in column order.
	Clients []Client
	// Timeout bounds each exchange; 0 means DefaultTimeout.
	Timeout time.Duration
	// OnRow, when set, gets each row as soon as it is complete.
	OnRow func(Row)
}

// Run starts the clients, sends every request to addr through each of
// them, and closes them. A client that cannot start is listed as missing
// with its reason, and its cells say so. It stops early, with the rows so
// far, when ctx ends.
func (r *Runner) Run(ctx context.Context, addr string, reqs []Request) Report {
	start := time.Now()
	timeout := r.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	rep := Report{Target: addr}
	running := make([]bool, len(r.Clients))
	for i, c := range r.Clients {
		info := ClientInfo{Name: c.Name()}
		// A browser takes a moment to start; a minute is plenty.
		sctx, cancel := context.WithTimeout(ctx, time.Minute)
		v, err := c.Start(sctx)
		cancel()
		if err != nil {
			info.Missing = err.Error()
		} else {
			info.Version, running[i] = v, true
		}
		rep.Clients = append(rep.Clients, info)
	}
	defer func() {
		for i, c := range r.Clients {
			if running[i] {
				c.Close()
			}
		}
	}()

	for _, req := range reqs {
		if ctx.Err() != nil {
			break
		}
		row := Row{Request: req, Device: exchange(ctx, addr, req.Raw, timeout)}
		for i, c := range r.Clients {
			if !running[i] {
				row.Outcomes = append(row.Outcomes, Outcome{Client: c.Name(), Verdict: VerdictMissing, Reason: rep.Clients[i].Missing})
				continue
			}
			o := c.Do(ctx, addr, req, timeout)
			judge(&o, row.Device)
			row.Outcomes = append(row.Outcomes, o)
		}
		rep.Rows = append(rep.Rows, row)
		if r.OnRow != nil {
			r.OnRow(row)
		}
	}
	rep.Duration = time.Since(start)
	return rep
}

// judge compares an accepted answer with what the device sent for the
// scenario's own bytes: the header lines the client did not keep, a body
// it shows differently, another status.
func judge(o *Outcome, d Device) {
	if o.Verdict != VerdictOK {
		return
	}
	if o.Dropped == nil {
		o.Dropped = droppedLines(d.Header, o.Kept)
	}
	if !o.Download {
		o.Garbled = garbled(d.Body, *o)
	}
	if code := d.StatusCode(); code != 0 && code != o.Status {
		o.RawStatus = code
	}
}
