package clients

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"unicode/utf8"
)

// WriteTable writes the report as a table, one row per scenario and one
// column per client, then a line per client with what ran and its tally.
func WriteTable(w io.Writer, rep Report) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	head := []string{"scenario", "device"}
	for _, c := range rep.Clients {
		name := c.Name
		if c.Missing != "" {
			name += " (not installed)"
		}
		head = append(head, name)
	}
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for _, row := range rep.Rows {
		cells := []string{row.Request.ID, row.Device.Cell()}
		for _, o := range row.Outcomes {
			cells = append(cells, o.Cell())
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	for i, c := range rep.Clients {
		if c.Missing != "" {
			fmt.Fprintf(w, "%s: not installed: %s\n", c.Name, c.Missing)
			continue
		}
		fmt.Fprintf(w, "%s: %s: %s\n", c.Name, c.Version, tally(rep.Rows, i))
	}
	return nil
}

// tally counts a column's verdicts: "12 ok (12 dropped lines), 2 refused".
func tally(rows []Row, col int) string {
	counts := map[Verdict]int{}
	dropped, garbled := 0, 0
	for _, r := range rows {
		o := r.Outcomes[col]
		counts[o.Verdict]++
		if len(o.Dropped) > 0 {
			dropped++
		}
		if o.Garbled {
			garbled++
		}
	}
	var parts []string
	for _, v := range []Verdict{VerdictOK, VerdictRefused, VerdictFailed, VerdictNA} {
		if counts[v] == 0 {
			continue
		}
		s := fmt.Sprintf("%d %s", counts[v], v)
		if v == VerdictOK {
			var notes []string
			if dropped > 0 {
				notes = append(notes, fmt.Sprintf("%d dropped lines", dropped))
			}
			if garbled > 0 {
				notes = append(notes, fmt.Sprintf("%d garbled", garbled))
			}
			if len(notes) > 0 {
				s += " (" + strings.Join(notes, ", ") + ")"
			}
		}
		parts = append(parts, s)
	}
	if len(parts) == 0 {
		return "nothing run"
	}
	return strings.Join(parts, ", ")
}

// WriteDetails writes, per scenario and client, the status, the headers
// kept and dropped, the start of the body, or the error.
func WriteDetails(w io.Writer, rep Report) {
	for _, row := range rep.Rows {
		fmt.Fprintf(w, "== %s: %s %s\n", row.Request.ID, row.Request.Method, row.Request.Path)
		fmt.Fprintf(w, "   device    %q, %d header line(s): %s, %d body bytes, end %s\n", row.Device.Status,
			len(row.Device.Header), strings.Join(row.Device.Header, " | "), len(row.Device.Body), row.Device.End)
		for _, o := range row.Outcomes {
			fmt.Fprintf(w, "   %-9s %s\n", o.Client, o.Cell())
			switch {
			case o.Verdict == VerdictOK:
				var kept []string
				for _, h := range o.Kept {
					kept = append(kept, h.Name+": "+h.Value)
				}
				fmt.Fprintf(w, "             kept: %s\n", strings.Join(kept, " | "))
				if o.Charset != "" {
					fmt.Fprintf(w, "             charset: %s, shows: %s\n", o.Charset, bodyPreview([]byte(o.Shown)))
				}
				fmt.Fprintf(w, "             body: %s\n", bodyPreview(o.Body))
			case o.Error != "":
				fmt.Fprintf(w, "             error: %s\n", o.Error)
			case o.Reason != "":
				fmt.Fprintf(w, "             why: %s\n", o.Reason)
			}
		}
	}
}

// bodyPreview quotes the start of a body.
func bodyPreview(b []byte) string {
	const n = 72
	if len(b) <= n {
		return fmt.Sprintf("%q", b)
	}
	return fmt.Sprintf("%q... (%d bytes)", b[:n], len(b))
}

// jsonOutcome is an Outcome with its body as text when it is UTF-8.
type jsonOutcome struct {
	Outcome
	Body       string `json:"body,omitempty"`
	BodyBase64 []byte `json:"body_base64,omitempty"`
}

// jsonRow is a Row with JSON-friendly bodies.
type jsonRow struct {
	Request     Request       `json:"request"`
	RequestBody string        `json:"request_body,omitempty"`
	Device      Device        `json:"device"`
	DeviceBody  string        `json:"device_body,omitempty"`
	Outcomes    []jsonOutcome `json:"outcomes"`
}

// WriteJSON writes the report as indented JSON, bodies as text where they
// are UTF-8 (body) and as base64 otherwise (body_base64).
func WriteJSON(w io.Writer, rep Report) error {
	out := struct {
		Target     string       `json:"target"`
		Clients    []ClientInfo `json:"clients"`
		Rows       []jsonRow    `json:"rows"`
		DurationNS int64        `json:"duration_ns"`
	}{Target: rep.Target, Clients: rep.Clients, DurationNS: rep.Duration.Nanoseconds(), Rows: []jsonRow{}}
	for _, r := range rep.Rows {
		jr := jsonRow{Request: r.Request, RequestBody: string(r.Request.Body), Device: r.Device, DeviceBody: string(r.Device.Body)}
		for _, o := range r.Outcomes {
			jo := jsonOutcome{Outcome: o}
			if utf8.Valid(o.Body) {
				jo.Body = string(o.Body)
			} else {
				jo.BodyBase64 = o.Body
			}
			jr.Outcomes = append(jr.Outcomes, jo)
		}
		out.Rows = append(out.Rows, jr)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
