//go:build unix

package server

import (
	"os"
	"syscall"
)

// lockFile opens path and takes an exclusive lock on it without waiting; the
// lock lasts until the file is closed (or the process ends).
func lockFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}
