package domain

//go:generate go run ../internal/errcodes/gen -root ..

// ErrorCode is one error code the server can answer (ErrorCodes, generated
// from the code by internal/errcodes; docs/API.md carries the same table).
type ErrorCode struct {
	Code     string // stable English, for programs
	Message  string // the first Simplified Chinese message it is made with
	Packages string // the packages that make it, space-separated
}
