package server

import (
	"net/http"
	"path/filepath"
	"strings"

	"github.com/labstack/echo/v4"

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
		CodeGuessLimit: cfg.CodeGuessLimit,
		MaxUploadBytes: int64(cfg.MaxUploadMB) << 20,
	}, nil
}

// isUpload tells the JSON body limit to leave attachment uploads to their own
// limit (SKILLCERT_MAX_UPLOAD_MB), checked by the upload handler.
func isUpload(c echo.Context) bool {
	return c.Request().Method == http.MethodPost && strings.HasSuffix(c.Path(), "/attachments")
}
