package main

import (
	"fmt"
	"io"
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
	for _, w := range []struct {
		f     **os.File
		path  string
		write func(io.Writer, []report.TargetResults) error
	}{{&r.json, r.jsonPath, report.WriteJSON}, {&r.junit, r.junitPath, report.WriteJUnit}} {
		if *w.f == nil {
			continue
		}
		err := w.write(*w.f, runs)
		if cerr := (*w.f).Close(); err == nil {
			err = cerr
		}
		*w.f = nil
		if err != nil {
			return fmt.Errorf("writing %s: %w", w.path, err)
		}
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
