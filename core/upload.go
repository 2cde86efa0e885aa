package core

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"skillcert/blobstore"
	"skillcert/domain"
	"skillcert/imagemeta"
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
func sniffStage(ctx context.Context, blobs blobstore.Store, body io.Reader, limit int64,
	accept func(domain.FileType) bool) (domain.FileType, blobstore.Staged, error) {
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
	var content io.Reader = &capped{r: io.MultiReader(bytes.NewReader(head), body), left: limit}
	if ft.ContentType == "image/jpeg" || ft.ContentType == "image/png" {
		// Photos lose their metadata (GPS position, camera, time) before they are
		// stored; the image data itself is kept byte for byte.
		if content, err = stripPhoto(content); err != nil {
			return domain.FileType{}, nil, err
		}
	}
	staged, err := blobs.Stage(ctx, content)
	switch {
	case errors.Is(err, errTooLarge):
		return domain.FileType{}, nil, errTooLarge
	case err != nil:
		return domain.FileType{}, nil, domain.Internal(fmt.Errorf("stage upload: %w", err))
	}
	return ft, staged, nil
}

// stripPhoto reads a JPEG or PNG photo (already capped at its size limit) and
// returns it without metadata. A photo whose structure is broken is refused as
// unreadable rather than stored with whatever it carries.
func stripPhoto(r io.Reader) (io.Reader, error) {
	b, err := io.ReadAll(r)
	if errors.Is(err, errTooLarge) {
		return nil, errTooLarge
	}
	if err != nil {
		return nil, errUploadUnreadable
	}
	out, _, err := imagemeta.Strip(b)
	if err != nil {
		return nil, errUploadUnreadable
	}
	return bytes.NewReader(out), nil
}
