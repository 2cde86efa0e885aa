-- Issue 25, the candidate's year: registering again after a cancellation, seat
-- watches on full plans, and the deadline reminders.

-- name: registration-reopen
-- A cancelled registration becomes a fresh draft: the review and the times of
-- the round that ended are cleared (registration_rounds keeps them), the form and
-- its attachments stay for the candidate to reuse, the commitment is asked again.
UPDATE registrations SET version = version + 1, status = 'draft', seat_held = 0, code_id = ?, id_number_idx = ?,
    commitment_accepted_at = NULL, submitted_at = NULL, reviewed_at = NULL, reviewed_by = NULL,
    review_note = '', return_fields = '', cancelled_at = NULL, updated_at = ?
WHERE id = ? AND status = 'cancelled';

-- name: registration-round-insert
INSERT INTO registration_rounds (registration_id, round_no, status, basis, submitted_at,
    reviewed_at, review_note, cancelled_at, reopened_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?);

-- name: registration-round-count
SELECT COUNT(*) FROM registration_rounds WHERE registration_id = ?;

-- name: registration-rounds
SELECT round_no, status, basis, submitted_at, reviewed_at, review_note, cancelled_at, reopened_at
FROM registration_rounds WHERE registration_id = ? ORDER BY round_no;

-- name: seat-watch-find
-- The candidate's pending watch of a plan.
SELECT id FROM seat_watches WHERE plan_id = ? AND candidate_id = ? AND notified_at IS NULL;

-- name: seat-watch-insert
INSERT INTO seat_watches (plan_id, candidate_id, created_at) VALUES (?, ?, ?);

-- name: seat-watch-delete
DELETE FROM seat_watches WHERE plan_id = ? AND candidate_id = ? AND notified_at IS NULL;

-- name: seat-watch-pending
-- A plan's pending watches, in the order they were asked.
SELECT id, candidate_id, created_at FROM seat_watches
WHERE plan_id = ? AND notified_at IS NULL ORDER BY id;

-- name: seat-watch-notified
UPDATE seat_watches SET notified_at = ? WHERE id = ? AND notified_at IS NULL;

-- name: reminder-drafts-due
-- Drafts of published plans whose deadline is a given day, with the plan.
SELECT r.id AS registration_id, r.candidate_id, r.plan_id, p.reg_deadline
FROM registrations r JOIN plans p ON p.id = r.plan_id
WHERE r.status = 'draft' AND p.state = 'published' AND p.reg_deadline = ? AND r.id > ?
ORDER BY r.id LIMIT ?;

-- name: reminder-returned-due
-- Registrations returned in a window (before a time, after another) and not
-- resubmitted since, on plans still running.
SELECT r.id AS registration_id, r.candidate_id, r.plan_id, p.reg_deadline
FROM registrations r JOIN plans p ON p.id = r.plan_id
WHERE r.status = 'returned' AND r.reviewed_at <= ? AND r.reviewed_at > ? AND p.state IN ('published', 'closed') AND r.id > ?
ORDER BY r.id LIMIT ?;

-- name: drafts-of-plan
-- The drafts on a plan (a plan that has just filled up tells them).
SELECT id AS registration_id, candidate_id, plan_id, '' AS reg_deadline
FROM registrations WHERE plan_id = ? AND status = 'draft' AND id > ? ORDER BY id LIMIT ?;
