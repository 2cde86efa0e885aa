package repo

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"
)

var (
	qStaleDrafts         = NamedQuery("retention-stale-drafts")
	qDraftBlobs          = NamedQuery("retention-draft-blobs")
	qDraftAttachmentsDel = NamedQuery("retention-draft-attachments-delete")
	qDraftDelete         = NamedQuery("retention-draft-delete")
)

// StaleDrafts returns up to limit drafts never submitted and not updated since before.
func (db *DB) StaleDrafts(ctx context.Context, before time.Time, limit int) ([]int64, error) {
	var ids []int64
	err := db.sel(ctx, db.R, &ids, qStaleDrafts, before, limit)
	return ids, err
}

// DeleteStaleDraft deletes a draft and its attachment rows inside tx, if it is
// still a stale, never-submitted draft. It returns the blob keys its attachments
// used (for the caller to drop once unreferenced) and whether it deleted it.
func (db *DB) DeleteStaleDraft(ctx context.Context, tx *sqlx.Tx, id int64, before time.Time) ([]string, bool, error) {
	var keys []string
	if err := db.sel(ctx, tx, &keys, qDraftBlobs, id); err != nil {
		return nil, false, err
	}
	if _, err := db.exec(ctx, tx, qDraftAttachmentsDel, id); err != nil {
		return nil, false, err
	}
	res, err := db.exec(ctx, tx, qDraftDelete, id, before)
	if err != nil {
		return nil, false, err
	}
	n, err := res.RowsAffected()
	return keys, n == 1, err
}

var (
	qCancelledWithFiles = NamedQuery("retention-cancelled-with-files")
	qCancelledAttachDel = NamedQuery("retention-cancelled-attachments-delete")
)

// CancelledWithFiles returns up to limit registrations cancelled before cutoff,
// never approved, that still have attachments.
func (db *DB) CancelledWithFiles(ctx context.Context, cutoff time.Time, limit int) ([]int64, error) {
	var ids []int64
	err := db.sel(ctx, db.R, &ids, qCancelledWithFiles, cutoff, limit)
	return ids, err
}

// DeleteCancelledAttachments deletes the attachment rows of a cancelled
// registration inside tx and returns the blob keys they used.
func (db *DB) DeleteCancelledAttachments(ctx context.Context, tx *sqlx.Tx, id int64) ([]string, error) {
	var keys []string
	if err := db.sel(ctx, tx, &keys, qDraftBlobs, id); err != nil {
		return nil, err
	}
	_, err := db.exec(ctx, tx, qCancelledAttachDel, id, id)
	return keys, err
}
