package server

import (
	"path/filepath"

	"skillcert/core"
	"skillcert/repo"
)

// registrationDeps builds what registration by code needs: the attachment store
// (a content-addressed folder under the data folder) and the limits.
func registrationDeps(cfg Config) (repo.BlobStore, core.RegistrationSettings, error) {
	blobs, err := repo.NewLocalBlobs(filepath.Join(cfg.DataDir, "attachments"))
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
	}, nil
}

// minFree is SKILLCERT_MIN_FREE_DISK_MB in bytes, -1 (no check) for 0.
func minFree(mb int) int64 {
	if mb == 0 {
		return -1
	}
	return int64(mb) << 20
}
