package dashboard

import "embed"

// assets is the page, its script and its style, served at / so the
// dashboard needs nothing from the network.
//
//go:embed assets
var assets embed.FS
