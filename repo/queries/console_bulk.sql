-- Bulk review (issue 26): a set of registrations of one plan decided in one
-- statement per batch. The store expands the IN lists.

-- name: console-bulk-lock
-- The batch's registrations still awaiting review (the rest are skipped).
SELECT id, candidate_id FROM registrations
WHERE plan_id = ? AND status = 'submitted' AND id IN (?)
ORDER BY id;

-- name: console-bulk-decide
-- The decision and the reviewer's record for the locked set, guarded by status.
UPDATE registrations SET version = version + 1, status = ?, seat_held = ?, reviewed_at = ?, reviewed_by = ?, review_note = ?,
    return_fields = ?, updated_at = ?
WHERE plan_id = ? AND status = 'submitted' AND id IN (?);

-- name: console-bulk-seats-free
-- Gives n seats of a plan back at once (never below zero).
UPDATE plans SET seats_taken = CASE WHEN seats_taken > ? THEN seats_taken - ? ELSE 0 END, updated_at = ?,
    activity_at = CASE WHEN activity_at < ? THEN ? ELSE activity_at END
WHERE id = ?;

-- name: console-bulk-pending-ids
-- Every registration of the plan awaiting review that matches the list's
-- filters (name part, ID number blind index), in id order.
SELECT r.id
FROM registrations r JOIN candidates c ON c.id = r.candidate_id
WHERE r.plan_id = ? AND r.status = 'submitted'
  AND (? = '' OR c.name LIKE ?) AND (? = '' OR r.id_number_idx = ?)
  AND (? = '' OR r.id_tail_idx = ?)
ORDER BY r.id
LIMIT ?;

-- name: console-bulk-pending-count
SELECT COUNT(*)
FROM registrations r JOIN candidates c ON c.id = r.candidate_id
WHERE r.plan_id = ? AND r.status = 'submitted'
  AND (? = '' OR c.name LIKE ?) AND (? = '' OR r.id_number_idx = ?)
  AND (? = '' OR r.id_tail_idx = ?);
