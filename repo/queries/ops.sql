-- Operator queries: backups, the start-up key check and the scrape-time gauges.

-- name: ops-blob-keys
-- Every blob the database refers to (attachments and feedback photos).
SELECT blob_key FROM attachments
UNION
SELECT blob_key FROM feedback_images;

-- name: ops-sealed-sample
-- One value sealed with the personal-data key, to prove at start-up that the
-- configured key opens the data (none in a database without candidates).
SELECT id_number_enc FROM candidates
WHERE id_number_enc IS NOT NULL AND id_number_enc <> ''
ORDER BY id DESC LIMIT 1;

-- name: ops-outbox-pending
SELECT COUNT(*) FROM outbox WHERE state = 'pending';

-- name: ops-outbox-oldest-pending
-- The creation time of the oldest pending row (outbox ids grow with time).
SELECT created_at FROM outbox
WHERE id = (SELECT MIN(id) FROM outbox WHERE state = 'pending');

-- name: ops-registrations-by-status
SELECT status, COUNT(*) AS n FROM registrations GROUP BY status;

-- name: ops-open-plan-seats
-- Published plans whose registration window holds the given Beijing date
-- (YYYY-MM-DD), and the seats left on them.
SELECT COUNT(*) AS plans, COALESCE(SUM(seats_total - seats_taken), 0) AS seats_left
FROM plans
WHERE state = 'published' AND reg_start <= ? AND reg_deadline >= ?;
