// Package testdata embeds the repository's recorded conformance scenarios
// (scenarios/<area>/<name>.scenario), so the conformance suite and the
// europi-http binary carry them without a checkout.
//
// The go tool skips folders named testdata in ./... patterns; the package is
// still importable by its path, which is all it is for.
package testdata

import "embed"

// Scenarios holds the folder scenarios and everything under it.
//
//go:embed scenarios
var Scenarios embed.FS
