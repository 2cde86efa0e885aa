package repo

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"
)

// Attachment is one row of attachments.
type Attachment struct {
	ID             int64     `db:"id"`
	RegistrationID int64     `db:"registration_id"`
	ItemKey        string    `db:"item_key"`
	FileName       string    `db:"file_name"`
	ContentType    string    `db:"content_type"`
	Size           int64     `db:"size"`
	BlobKey        string    `db:"blob_key"`
	UploadedAt     time.Time `db:"uploaded_at"`
}

var (
	qAttachInsert   = NamedQuery("attachment-insert")
	qAttachList     = NamedQuery("attachment-list")
	qAttachGet      = NamedQuery("attachment-get")
	qAttachDelete   = NamedQuery("attachment-delete")
	qAttachCount    = NamedQuery("attachment-count")
	qAttachBlobRefs = NamedQuery("attachment-blob-refs")
)

// InsertAttachment inserts a row inside tx and sets its ID.
func (db *DB) InsertAttachment(ctx context.Context, tx *sqlx.Tx, a *Attachment) error {
	res, err := db.exec(ctx, tx, qAttachInsert, a.RegistrationID, a.ItemKey, a.FileName,
		a.ContentType, a.Size, a.BlobKey, a.UploadedAt)
	if err != nil {
		return err
	}
	a.ID, err = res.LastInsertId()
	return err
}

// ListAttachments returns a registration's attachments in upload order.
func (db *DB) ListAttachments(ctx context.Context, q sqlx.QueryerContext, registrationID int64) ([]Attachment, error) {
	out := []Attachment{}
	err := db.sel(ctx, q, &out, qAttachList, registrationID)
	return out, err
}

// GetAttachment reads one attachment of a registration; sql.ErrNoRows when the
// registration has no such attachment.
func (db *DB) GetAttachment(ctx context.Context, q sqlx.QueryerContext, registrationID, id int64) (Attachment, error) {
	var a Attachment
	err := db.get(ctx, q, &a, qAttachGet, id, registrationID)
	return a, err
}

// DeleteAttachment deletes one attachment of a registration inside tx; ok is
// false when there was none.
func (db *DB) DeleteAttachment(ctx context.Context, tx *sqlx.Tx, registrationID, id int64) (bool, error) {
	res, err := db.exec(ctx, tx, qAttachDelete, id, registrationID)
	return affectedOne(res, err)
}

// CountAttachments counts a registration's attachments.
func (db *DB) CountAttachments(ctx context.Context, q sqlx.QueryerContext, registrationID int64) (int, error) {
	var n int
	err := db.get(ctx, q, &n, qAttachCount, registrationID)
	return n, err
}

// BlobRefs counts the rows whose bytes are the blob key: attachments and
// feedback photos (the two share the blob store).
func (db *DB) BlobRefs(ctx context.Context, blobKey string) (int, error) {
	var n int
	err := db.get(ctx, db.W, &n, qAttachBlobRefs, blobKey, blobKey)
	return n, err
}

var qAttachmentCandidateBytes = NamedQuery("attachment-candidate-bytes")

// CandidateAttachmentBytes is the size of every attachment of a candidate.
func (db *DB) CandidateAttachmentBytes(ctx context.Context, q sqlx.QueryerContext, candidateID int64) (int64, error) {
	var n int64
	err := db.get(ctx, q, &n, qAttachmentCandidateBytes, candidateID)
	return n, err
}
