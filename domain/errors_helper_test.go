package domain

// de is the *Error inside err (nil when err is nil or not a domain error), so
// that tests can read its kind, code and fields.
func de(err error) *Error {
	e, _ := AsError(err)
	return e
}
