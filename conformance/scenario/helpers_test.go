package scenario_test

import "fmt"

// describeDiff says where two byte strings first differ, with a few bytes
// of each from there.
func describeDiff(expected, actual []byte) string {
	n := min(len(expected), len(actual))
	off := n
	for i := range n {
		if expected[i] != actual[i] {
			off = i
			break
		}
	}
	return fmt.Sprintf("first difference at offset %d: expected %q, actual %q",
		off, expected[off:min(off+16, len(expected))], actual[off:min(off+16, len(actual))])
}
