package main

import (
	"fmt"
	"os"

	"github.com/europi-http/europi-http/conformance/report"
)

// reportFiles are the --json and --junit files, created before the run so
// that a path that cannot be written fails at once, not after the suite.
type reportFiles struct {
	json, junit         *os.File
	jsonPath, junitPath string
}

// openReports creates the report files the flags name.
func openReports(o *ConformOptions) (*reportFiles, error) {
	r := &reportFiles{jsonPath: o.JSON, junitPath: o.JUnit}
	var err error
	if o.JSON != "" {
		if r.json, err = os.Create(o.JSON); err != nil {
			return nil, usageError(fmt.Errorf("--json %s: %w", o.JSON, err))
		}
	}
	if o.JUnit != "" {
		if r.junit, err = os.Create(o.JUnit); err != nil {
			r.close()
			return nil, usageError(fmt.Errorf("--junit %s: %w", o.JUnit, err))
		}
	}
	return r, nil
}

// write writes the reports and closes their files.
func (r *reportFiles) write(runs []report.TargetResults) error {
	defer r.close()
	if r.json != nil {
		if err := report.WriteJSON(r.json, runs); err != nil {
			return fmt.Errorf("writing %s: %w", r.jsonPath, err)
		}
		if err := r.json.Close(); err != nil {
			return fmt.Errorf("writing %s: %w", r.jsonPath, err)
		}
		r.json = nil
	}
	if r.junit != nil {
		if err := report.WriteJUnit(r.junit, runs); err != nil {
			return fmt.Errorf("writing %s: %w", r.junitPath, err)
		}
		if err := r.junit.Close(); err != nil {
			return fmt.Errorf("writing %s: %w", r.junitPath, err)
		}
		r.junit = nil
	}
	return nil
}

// close closes the files still open.
func (r *reportFiles) close() {
	for _, f := range []**os.File{&r.json, &r.junit} {
		if *f != nil {
			_ = (*f).Close()
			*f = nil
		}
	}
}
