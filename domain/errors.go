// Package domain holds skillcert's pure types and rules: levels, ID documents,
// bases, status machines and the typed errors every layer returns. No I/O.
package domain

import (
	"errors"
	"fmt"
	"time"
)

// Kind classifies an Error so that the HTTP edge (and the chat) can map it once.
type Kind int

// Error kinds, from the most to the least common.
const (
	KindInvalid      Kind = iota + 1 // bad input: 400
	KindNotFound                     // unknown or not visible to the caller: 404
	KindConflict                     // state does not allow it: 409
	KindUnauthorized                 // no valid session: 401
	KindForbidden                    // signed in but not allowed: 403
	KindRateLimited                  // too many attempts: 429
	KindUnavailable                  // a dependency is down: 503
	KindInternal                     // a bug or a database failure: 500
	KindTooLarge                     // an upload over its size limit: 413
	KindNoStorage                    // the server's disk is (nearly) full: 507
)

// FieldError is one bad field of a request. Field is the JSON name of the field,
// Message is Simplified Chinese for people.
type FieldError struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Error is the typed error that core returns. Code is stable English for programs,
// Message is Simplified Chinese for people, Field names the first field at fault.
type Error struct {
	Kind       Kind
	Code       string
	Message    string
	Field      string
	Fields     []FieldError   // every bad field, when validation found several
	Details    map[string]any // extra machine-readable data (e.g. missing items)
	RetryAfter time.Duration  // for KindRateLimited
	Err        error          // the cause, logged but never sent to a client
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return e.Code + ": " + e.Message
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// NewError builds an Error of the given kind.
func NewError(kind Kind, code, message string) *Error {
	return &Error{Kind: kind, Code: code, Message: message}
}

// Invalid reports one bad field.
func Invalid(field, code, message string) *Error {
	return &Error{Kind: KindInvalid, Code: code, Message: message, Field: field,
		Fields: []FieldError{{Field: field, Code: code, Message: message}}}
}

// InvalidFields reports several bad fields; the first one names the error.
// It returns nil when fields is empty, so callers can write `if err := InvalidFields(fe); err != nil`.
func InvalidFields(fields []FieldError) error {
	if len(fields) == 0 {
		return nil
	}
	return &Error{Kind: KindInvalid, Code: "invalid", Message: fields[0].Message,
		Field: fields[0].Field, Fields: fields}
}

// FieldsError is InvalidFields, except that a single bad field keeps its own
// code as the error's code (as Invalid does). nil when fields is empty.
func FieldsError(fields []FieldError) error {
	if len(fields) == 1 {
		return Invalid(fields[0].Field, fields[0].Code, fields[0].Message)
	}
	return InvalidFields(fields)
}

// NotFound reports a record that does not exist or that the caller may not see.
func NotFound(code, message string) *Error { return NewError(KindNotFound, code, message) }

// Conflict reports an operation that the current state does not allow.
func Conflict(code, message string) *Error { return NewError(KindConflict, code, message) }

// Internal wraps an unexpected failure; its text never reaches a client.
func Internal(err error) *Error {
	return &Error{Kind: KindInternal, Code: "internal", Message: "服务器内部错误，请稍后再试", Err: err}
}

// AsError returns the *Error inside err, if any.
func AsError(err error) (*Error, bool) {
	var de *Error
	if errors.As(err, &de) {
		return de, true
	}
	return nil, false
}

// FieldErrorsOf returns the bad fields an error reports: the Fields of a
// validation *Error (or its one named field), none for nil or any other error.
func FieldErrorsOf(err error) []FieldError {
	de, ok := AsError(err)
	if !ok {
		return nil
	}
	if len(de.Fields) == 0 && de.Field != "" {
		return []FieldError{{Field: de.Field, Code: de.Code, Message: de.Message}}
	}
	return de.Fields
}

// FieldMessages turns a validation error into field → message, the first
// message of each field, as a form shows them ("" holds the message of an
// error that names no field); ok is false for nil or any other error.
func FieldMessages(err error) (map[string]string, bool) {
	de, ok := AsError(err)
	if !ok || de.Kind != KindInvalid {
		return nil, false
	}
	out := map[string]string{}
	for _, f := range de.Fields {
		if _, dup := out[f.Field]; !dup {
			out[f.Field] = f.Message
		}
	}
	if len(out) == 0 {
		out[""] = de.Message
	}
	return out, true
}

// MessageOf is the Chinese message of a domain error ("" for nil or any other error).
func MessageOf(err error) string {
	if de, ok := AsError(err); ok {
		return de.Message
	}
	return ""
}
