-- Retention of personal data: drafts that were never submitted.

-- name: retention-stale-drafts
-- Drafts never submitted and untouched since a time, oldest first.
SELECT id FROM registrations
WHERE status = 'draft' AND submitted_at IS NULL AND updated_at < ?
  AND NOT EXISTS (SELECT 1 FROM registration_rounds rr WHERE rr.registration_id = registrations.id)
ORDER BY id
LIMIT ?;

-- name: retention-draft-blobs
SELECT blob_key FROM attachments WHERE registration_id = ?;

-- name: retention-draft-attachments-delete
DELETE FROM attachments WHERE registration_id = ?;

-- name: retention-draft-delete
-- Only while it is still a stale, never-submitted draft: a save or a submit racing
-- the purge wins.
DELETE FROM registrations WHERE id = ? AND status = 'draft' AND submitted_at IS NULL AND updated_at < ?
  AND NOT EXISTS (SELECT 1 FROM registration_rounds rr WHERE rr.registration_id = registrations.id);

-- name: retention-cancelled-with-files
-- Registrations cancelled before cutoff that were never approved (no approval
-- event in the outbox, where every status change is written) and still have
-- attachments, oldest first.
SELECT r.id FROM registrations r
WHERE r.status = 'cancelled' AND r.cancelled_at < ?
  AND EXISTS (SELECT 1 FROM attachments a WHERE a.registration_id = r.id)
  AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.registration_id = r.id AND o.event_kind = 'registration.approved')
ORDER BY r.id
LIMIT ?;

-- name: retention-cancelled-attachments-delete
-- Only while it is still cancelled.
DELETE FROM attachments WHERE registration_id = ?
  AND EXISTS (SELECT 1 FROM registrations r WHERE r.id = ? AND r.status = 'cancelled');
