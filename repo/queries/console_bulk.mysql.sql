-- MySQL variants of console_bulk.sql: row locks for the batch.

-- name: console-bulk-lock
SELECT id, candidate_id FROM registrations
WHERE plan_id = ? AND status = 'submitted' AND id IN (?)
ORDER BY id
FOR UPDATE;
