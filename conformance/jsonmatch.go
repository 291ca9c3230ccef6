package conformance

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"unicode/utf8"
)

// decodeJSON parses one JSON value, keeping numbers as text so they can be
// compared as numbers whatever their spelling (2.5, 2.50, 25e-1).
func decodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("data after the JSON value")
	}
	return v, nil
}

// JSONEqual compares two JSON texts as values: object key order, white
// space, string escapes ("\u00fc" or raw UTF-8) and number spelling do not
// matter. It returns "" when they are equal, otherwise where they first
// differ, as a path such as $.list[2].
func JSONEqual(expected, actual []byte) (string, error) {
	ev, err := decodeJSON(expected)
	if err != nil {
		return "", fmt.Errorf("expected value: %w", err)
	}
	av, err := decodeJSON(actual)
	if err != nil {
		return "", fmt.Errorf("body is not JSON: %w", err)
	}
	return jsonDiff("$", ev, av), nil
}

// jsonDiff returns where a and b first differ, or "".
func jsonDiff(path string, a, b any) string {
	switch av := a.(type) {
	case map[string]any:
		bv, ok := b.(map[string]any)
		if !ok {
			return fmt.Sprintf("%s: expected an object, actual %s", path, jsonText(b))
		}
		keys := make([]string, 0, len(av)+len(bv))
		for k := range av {
			keys = append(keys, k)
		}
		for k := range bv {
			if _, ok := av[k]; !ok {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			sub := path + "." + k
			ae, aok := av[k]
			be, bok := bv[k]
			switch {
			case !bok:
				return fmt.Sprintf("%s: missing, expected %s", sub, jsonText(ae))
			case !aok:
				return fmt.Sprintf("%s: not expected, actual %s", sub, jsonText(be))
			}
			if d := jsonDiff(sub, ae, be); d != "" {
				return d
			}
		}
		return ""
	case []any:
		bv, ok := b.([]any)
		if !ok {
			return fmt.Sprintf("%s: expected an array, actual %s", path, jsonText(b))
		}
		for i := range min(len(av), len(bv)) {
			if d := jsonDiff(path+"["+strconv.Itoa(i)+"]", av[i], bv[i]); d != "" {
				return d
			}
		}
		if len(av) != len(bv) {
			return fmt.Sprintf("%s: expected %d elements, actual %d", path, len(av), len(bv))
		}
		return ""
	case json.Number:
		bv, ok := b.(json.Number)
		if ok && numbersEqual(av, bv) {
			return ""
		}
	default:
		if a == b {
			return ""
		}
	}
	return fmt.Sprintf("%s: expected %s, actual %s", path, jsonText(a), jsonText(b))
}

// numbersEqual compares two JSON numbers by value.
func numbersEqual(a, b json.Number) bool {
	if a == b {
		return true
	}
	af, aerr := strconv.ParseFloat(string(a), 64)
	bf, berr := strconv.ParseFloat(string(b), 64)
	return aerr == nil && berr == nil && af == bf
}

// jsonTextMax is how much of a value jsonText shows: a message names a
// value, it does not reproduce a body.
const jsonTextMax = 120

// jsonText renders a decoded value back as compact JSON for messages,
// cut to jsonTextMax bytes.
func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		b = []byte(fmt.Sprint(v))
	}
	if len(b) > jsonTextMax {
		n := jsonTextMax
		for n > 0 && !utf8.RuneStart(b[n]) {
			n--
		}
		return fmt.Sprintf("%s... (%d bytes)", b[:n], len(b))
	}
	return string(b)
}
