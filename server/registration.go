package server

import (
	"path/filepath"

	"skillcert/blobstore"
	"skillcert/core"
)

// registrationDeps builds what registration by code needs: the attachment store
// (a content-addressed folder under the data folder, or the bucket of
// SKILLCERT_BLOB_URL) and the limits.
func registrationDeps(cfg Config) (blobstore.Store, core.RegistrationSettings, error) {
	blobs, err := OpenBlobs(cfg)
	if err != nil {
		return nil, core.RegistrationSettings{}, err
	}
	return blobs, core.RegistrationSettings{
		CodeGuessLimit:       cfg.CodeGuessLimit,
		CodeGuessIPLimit:     cfg.CodeGuessIP,
		CodeGuessGlobalLimit: cfg.CodeGuessAll,
		MaxUploadBytes:       int64(cfg.MaxUploadMB) << 20,
		MaxCandidateBytes:    int64(cfg.MaxCandidateMB) << 20,
		MinFreeBytes:         minFree(cfg.MinFreeDiskMB),
		SubmitConcurrency:    cfg.SubmitConcurrency,
		SubmitWait:           cfg.SubmitWait,
		SubmitQueue:          cfg.SubmitQueue,
	}, nil
}

// OpenBlobs opens the attachment store the configuration names (the server
// and the operator commands share it): SKILLCERT_BLOB_URL's bucket, else
// DataDir/attachments. A bucket's uploads in flight are staged in
// DataDir/attachments/tmp.
func OpenBlobs(cfg Config) (blobstore.Store, error) {
	return blobstore.Open(cfg.Blob.URL, filepath.Join(cfg.DataDir, "attachments"), cfg.Blob.Env)
}

// minFree is SKILLCERT_MIN_FREE_DISK_MB in bytes, -1 (no check) for 0.
func minFree(mb int) int64 {
	if mb == 0 {
		return -1
	}
	return int64(mb) << 20
}
