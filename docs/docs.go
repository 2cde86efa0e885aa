// Package docs embeds the API contract (API.md) so the server can serve it at
// /docs/API.md; the other guides are for developers reading the repository.
package docs

import _ "embed" // API.md

// API is docs/API.md, the HTTP API contract.
//
//go:embed API.md
var API []byte
