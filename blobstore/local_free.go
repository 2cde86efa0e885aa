//go:build linux || darwin

package blobstore

import "syscall"

// FreeBytes is the space left to unprivileged writers on the blob folder's
// file system.
func (b *Local) FreeBytes() (uint64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(b.dir, &st); err != nil {
		return 0, err
	}
	return uint64(st.Bavail) * uint64(st.Bsize), nil
}
