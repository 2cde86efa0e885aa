// Package handlers is the HTTP edge of skillcert: bind → validate → call core →
// map errors → JSON. Business rules live in core, never here.
package handlers

import (
	"log/slog"

	"skillcert/core"
	"skillcert/domain"
)

// Handlers holds what the HTTP edge needs.
type Handlers struct {
	Core    *core.Core
	Log     *slog.Logger
	Options domain.Options
}

// New builds the handlers.
func New(c *core.Core, log *slog.Logger, opts domain.Options) *Handlers {
	return &Handlers{Core: c, Log: log, Options: opts}
}
