// Package docs embeds the API contract: API.md (the prose reference, served at
// /docs/API.md) and openapi.yaml (the OpenAPI 3.1 document the tests enforce,
// served as JSON at /api/v1/openapi.json). The other guides are for developers
// reading the repository.
package docs

import _ "embed" // API.md, openapi.yaml

// API is docs/API.md, the HTTP API reference in prose.
//
//go:embed API.md
var API []byte

// OpenAPI is docs/openapi.yaml, the OpenAPI 3.1 contract of /api/v1.
//
//go:embed openapi.yaml
var OpenAPI []byte
