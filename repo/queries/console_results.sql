-- Exam results and certificate progress as institutions record them (issue 5).

-- name: console-result-insert
INSERT INTO exam_results (registration_id, subject, result, score, recorded_at) VALUES (?, ?, ?, ?, ?);

-- name: console-cert-event-insert
INSERT INTO certificate_events (registration_id, stage, note, occurred_at, created_by) VALUES (?, ?, ?, ?, ?);

-- name: console-results-of-plan
SELECT er.registration_id, er.subject, er.result, er.score
FROM exam_results er JOIN registrations r ON r.id = er.registration_id
WHERE r.plan_id = ?;

-- name: console-results-delete-subject
DELETE FROM exam_results WHERE subject = ? AND registration_id IN (?);

-- name: console-cert-set-many
UPDATE registrations SET version = version + 1, cert_no = CASE id WHEN ? THEN ? END, cert_stage = CASE id WHEN ? THEN ? END, updated_at = ?
WHERE id IN (?);

-- name: console-cert-events-latest
SELECT registration_id, MAX(id) AS id FROM certificate_events WHERE registration_id IN (?) GROUP BY registration_id;
