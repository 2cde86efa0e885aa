package core

import (
	"context"
	"errors"
	"time"

	"skillcert/blobstore"
	"skillcert/repo"
)

// DraftRetention is how long a draft that was never submitted is kept after its
// last change: a draft holds the candidate's ID number index, phone and
// attachments, collected for a registration that never happened (PIPL: keep
// personal data no longer than its purpose needs).
const DraftRetention = 180 * 24 * time.Hour

// errStillInUse rolls back the purge of a draft that changed since it was listed.
var errStillInUse = errors.New("draft changed meanwhile")

// PurgeStaleDrafts deletes the drafts never submitted and untouched for longer
// than retention (DraftRetention when zero), with their attachments; a draft
// saved or submitted meanwhile is kept. It returns how many it deleted.
func (c *Core) PurgeStaleDrafts(ctx context.Context, retention time.Duration) (int, error) {
	if retention <= 0 {
		retention = DraftRetention
	}
	before := c.dbNow().Add(-retention)
	purged := 0
	for {
		ids, err := c.db.StaleDrafts(ctx, before, 100)
		if err != nil {
			return purged, err
		}
		done := 0
		for _, id := range ids {
			var keys []string
			err := c.db.WithTx(ctx, func(tx repo.Tx) error {
				var deleted bool
				var err error
				keys, deleted, err = tx.DeleteStaleDraft(ctx, id, before)
				if err == nil && !deleted {
					return errStillInUse
				}
				return err
			})
			switch {
			case errors.Is(err, errStillInUse):
				continue
			case err != nil:
				return purged, err
			}
			done++
			for _, k := range keys {
				c.dropUnreferenced(ctx, k)
			}
		}
		purged += done
		if len(ids) < 100 || done == 0 {
			break
		}
	}
	if purged > 0 {
		c.log.Info("stale drafts purged", "count", purged, "retention_days", int(retention.Hours()/24))
	}
	return purged, nil
}

// CancelledRetention is how long the attachments of a registration cancelled
// before it was ever approved are kept after the cancellation: the candidate
// can no longer open or delete them, and no review will need them.
const CancelledRetention = 30 * 24 * time.Hour

// PurgeCancelledFiles deletes the attachments (rows and files) of registrations
// cancelled more than retention ago (CancelledRetention when zero) that were
// never approved. The registration itself stays, as the record of the
// cancellation. It returns how many registrations lost their files.
func (c *Core) PurgeCancelledFiles(ctx context.Context, retention time.Duration) (int, error) {
	if retention <= 0 {
		retention = CancelledRetention
	}
	cutoff := c.dbNow().Add(-retention)
	purged := 0
	for {
		ids, err := c.db.CancelledWithFiles(ctx, cutoff, 100)
		if err != nil {
			return purged, err
		}
		for _, id := range ids {
			var keys []string
			err := c.db.WithTx(ctx, func(tx repo.Tx) error {
				var err error
				keys, err = tx.DeleteCancelledAttachments(ctx, id)
				return err
			})
			if err != nil {
				return purged, err
			}
			for _, k := range keys {
				c.dropUnreferenced(ctx, k)
			}
			purged++
		}
		if len(ids) < 100 {
			break
		}
	}
	if purged > 0 {
		c.log.Info("files of cancelled registrations purged", "registrations", purged, "retention_days", int(retention.Hours()/24))
	}
	return purged, nil
}

// OrphanAge is how old a stored file must be before the sweep may remove it
// when no row refers to it: an upload in flight is never that old.
const OrphanAge = 24 * time.Hour

// SweepOrphanFiles removes stored files that no attachment or feedback photo
// refers to and that are older than OrphanAge (left by a crash between storing a
// file and inserting its row), and staged uploads abandoned as long. It returns
// how many files it removed. A store that cannot list its files is skipped.
func (c *Core) SweepOrphanFiles(ctx context.Context) (int, error) {
	lister, ok := c.reg.blobs.(blobstore.Lister)
	if !ok {
		return 0, nil
	}
	cutoff := c.now().Add(-OrphanAge)
	removed, err := lister.DropStale(ctx, cutoff)
	if err != nil {
		return removed, err
	}
	var old []string
	err = lister.Blobs(ctx, func(key string, modified time.Time) error {
		if modified.Before(cutoff) {
			old = append(old, key)
		}
		return nil
	})
	if err != nil {
		return removed, err
	}
	for _, key := range old {
		unlock := c.reg.locks.lock(key) // an upload of the same content waits
		if c.dropUnreferenced(ctx, key) {
			removed++
		}
		unlock()
	}
	if removed > 0 {
		c.log.Info("orphan files removed", "count", removed)
	}
	return removed, nil
}
