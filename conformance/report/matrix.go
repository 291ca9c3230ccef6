package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/europi-http/europi-http/conformance"
)

// TargetResults is one target's run, for reports that cover several.
type TargetResults struct {
	// Target is the target run against.
	Target conformance.Target
	// Results are its results, in scenario order.
	Results []conformance.Result
}

// cell is a result's word in the matrix.
func cell(r conformance.Result) string {
	w := strings.TrimSpace(statusWord(r.Status))
	if r.Retries > 0 {
		w += fmt.Sprintf("+%dr", r.Retries)
	}
	return w
}

// WriteMatrix writes a table with a row per scenario and a column per
// target: pass, xdiff (a declared expected difference), FAIL, skip, or "-"
// when the scenario did not run there; "+Nr" counts retries.
func WriteMatrix(w io.Writer, runs []TargetResults) error {
	var ids []string
	seen := map[string]bool{}
	cells := make([]map[string]string, len(runs))
	for i, run := range runs {
		cells[i] = map[string]string{}
		for _, r := range run.Results {
			if !seen[r.ID] {
				seen[r.ID] = true
				ids = append(ids, r.ID)
			}
			cells[i][r.ID] = cell(r)
		}
	}
	idWidth := len("scenario")
	for _, id := range ids {
		idWidth = max(idWidth, len(id))
	}
	widths := make([]int, len(runs))
	var rows []string
	row := fmt.Sprintf("%-*s", idWidth, "scenario")
	for i, run := range runs {
		widths[i] = max(len(run.Target.Name), len("xdiff+9r"))
		row += fmt.Sprintf("  %-*s", widths[i], run.Target.Name)
	}
	rows = append(rows, row)
	for _, id := range ids {
		row = fmt.Sprintf("%-*s", idWidth, id)
		for i := range runs {
			c, ok := cells[i][id]
			if !ok {
				c = "-"
			}
			row += fmt.Sprintf("  %-*s", widths[i], c)
		}
		rows = append(rows, row)
	}
	row = fmt.Sprintf("%-*s", idWidth, "failed")
	for i, run := range runs {
		row += fmt.Sprintf("  %-*d", widths[i], Summarize(run.Results).Failed)
	}
	rows = append(rows, row)
	var sb strings.Builder
	for _, r := range rows {
		sb.WriteString(strings.TrimRight(r, " ") + "\n")
	}
	_, err := io.WriteString(w, sb.String())
	return err
}
