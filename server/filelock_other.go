//go:build !unix

package server

import (
	"errors"
	"os"
)

// lockFile is not available here: every run gets a fresh dispatcher name.
func lockFile(string) (*os.File, error) {
	return nil, errors.New("file locks are not supported on this system")
}
