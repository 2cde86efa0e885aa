package core

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"skillcert/domain"
	"skillcert/repo"
)

// Why sniffStage refused an upload (besides errTooLarge); callers turn them into
// messages about their own field.
var (
	errUploadEmpty      = errors.New("upload is empty")
	errUploadUnreadable = errors.New("upload is incomplete")
	errUploadType       = errors.New("upload type not accepted")
)

// sniffStage recognises an upload's type from its first bytes (never from its
// name), refuses the types accept rejects, and stages the body in blobs under
// limit bytes (errTooLarge past it).
func sniffStage(ctx context.Context, blobs repo.BlobStore, body io.Reader, limit int64,
	accept func(domain.FileType) bool) (domain.FileType, repo.StagedBlob, error) {
	head := make([]byte, domain.SniffLen)
	n, err := io.ReadFull(body, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return domain.FileType{}, nil, errUploadUnreadable
	}
	head = head[:n]
	if n == 0 {
		return domain.FileType{}, nil, errUploadEmpty
	}
	ft, ok := domain.SniffFileType(head)
	if !ok || !accept(ft) {
		return domain.FileType{}, nil, errUploadType
	}
	staged, err := blobs.Stage(ctx, &capped{r: io.MultiReader(bytes.NewReader(head), body), left: limit})
	switch {
	case errors.Is(err, errTooLarge):
		return domain.FileType{}, nil, errTooLarge
	case err != nil:
		return domain.FileType{}, nil, domain.Internal(fmt.Errorf("stage upload: %w", err))
	}
	return ft, staged, nil
}
