package scenario

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Input is one panel input in effect while a scenario was recorded, set on
// the target before the scenario runs where the target has a panel (the
// emulator); a device or upstream ignores it.
type Input struct {
	// Name is one of InputNames.
	Name string
	// Value is in the units the emulator's --set takes: k1 and k2 in
	// percent (0..100), ain in volts (0..12), din, b1 and b2 0 or 1.
	Value float64
	// Comment holds the comment lines before the input.
	Comment []string
	// Line is the input's line in its file (not written back).
	Line int
}

// InputNames are the inputs an [inputs] section may set, in the order the
// recorder writes them.
var InputNames = []string{"k1", "k2", "ain", "din", "b1", "b2"}

// inputRanges are each input's lowest and highest value; digital inputs
// take only their two ends.
var inputRanges = map[string]struct {
	low, high float64
	digital   bool
}{
	"k1":  {0, 100, false},
	"k2":  {0, 100, false},
	"ain": {0, 12, false},
	"din": {0, 1, true},
	"b1":  {0, 1, true},
	"b2":  {0, 1, true},
}

// CheckInput reports an input the format does not allow: an unknown name,
// or a value outside the input's range.
func CheckInput(name string, value float64) error {
	r, ok := inputRanges[name]
	switch {
	case !ok:
		return fmt.Errorf("unknown input %q; want one of %s", name, strings.Join(InputNames, ", "))
	case math.IsNaN(value) || value < r.low || value > r.high:
		return fmt.Errorf("input %s: %s is outside %s..%s", name, formatValue(value), formatValue(r.low), formatValue(r.high))
	case r.digital && value != r.low && value != r.high:
		return fmt.Errorf("input %s: %s is not 0 or 1", name, formatValue(value))
	}
	return nil
}

// inputLine parses one line of [inputs]: NAME VALUE.
func (p *parser) inputLine(toks []token) error {
	name, a, err := keyword(toks)
	if err != nil {
		return err
	}
	w, err := a.word("a number")
	if err != nil {
		return err
	}
	v, err := strconv.ParseFloat(w, 64)
	if err != nil || strings.ContainsAny(w, "xXpP_") {
		return fmt.Errorf("%s: %q is not a decimal number", name, w)
	}
	if err := CheckInput(name, v); err != nil {
		return err
	}
	for _, in := range p.s.Inputs {
		if in.Name == name {
			return fmt.Errorf("input %s is set twice", name)
		}
	}
	p.s.Inputs = append(p.s.Inputs, Input{Name: name, Value: v, Comment: p.takeComments(), Line: p.line})
	return a.done()
}

// writeInputs writes the [inputs] section, if the scenario has one.
func writeInputs(sb *strings.Builder, inputs []Input) {
	if len(inputs) == 0 {
		return
	}
	sb.WriteString("\n[inputs]\n")
	for _, in := range inputs {
		writeComments(sb, in.Comment)
		sb.WriteString(in.Name + " " + formatValue(in.Value) + "\n")
	}
}

// formatValue writes a value as the shortest decimal that reads back the
// same: 40, 3.5, 0.1.
func formatValue(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
