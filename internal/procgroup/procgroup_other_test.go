//go:build !unix

package procgroup

import "testing"

func TestStop(t *testing.T) { t.Skip("process groups need a unix system") }
