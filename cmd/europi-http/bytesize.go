package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// byteUnits are the suffixes a byte size takes, each a power of 1024
// whichever way it is spelled: a memory limit is about the heap.
var byteUnits = []struct {
	names []string
	size  uint64
}{
	{[]string{"", "b"}, 1},
	{[]string{"k", "kb", "kib"}, 1 << 10},
	{[]string{"m", "mb", "mib"}, 1 << 20},
	{[]string{"g", "gb", "gib"}, 1 << 30},
}

// byteSize is a flag holding a number of bytes, written as plain bytes or
// with a unit: 67108864, 64M, 64MiB, 1GiB.
type byteSize uint64

// parseByteSize reads a byte size.
func parseByteSize(s string) (uint64, error) {
	t := strings.TrimSpace(s)
	i := len(t) - len(strings.TrimLeft(t, "0123456789"))
	digits, unit := t[:i], strings.ToLower(strings.TrimSpace(t[i:]))
	if digits == "" {
		return 0, fmt.Errorf("%q is not a size such as 64MiB, 64M, 1GiB or a number of bytes", s)
	}
	n, err := strconv.ParseUint(digits, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is too large", s)
	}
	for _, u := range byteUnits {
		for _, name := range u.names {
			if unit == name {
				if n > math.MaxUint64/u.size {
					return 0, fmt.Errorf("%q is too large", s)
				}
				return n * u.size, nil
			}
		}
	}
	return 0, fmt.Errorf("%q: unknown unit %q; want B, K, KiB, M, MiB, G or GiB", s, t[i:])
}

// Set parses the flag's value.
func (b *byteSize) Set(s string) error {
	n, err := parseByteSize(s)
	if err != nil {
		return err
	}
	*b = byteSize(n)
	return nil
}

// String renders the size in the largest unit that divides it.
func (b *byteSize) String() string {
	n := uint64(*b)
	for i := len(byteUnits) - 1; i > 0; i-- {
		u := byteUnits[i]
		if n != 0 && n%u.size == 0 {
			return fmt.Sprintf("%d%s", n/u.size, strings.ToUpper(u.names[0][:1])+"iB")
		}
	}
	return strconv.FormatUint(n, 10)
}

// Type names the value in --help.
func (b *byteSize) Type() string { return "size" }
