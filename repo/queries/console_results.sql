-- Exam results and certificate progress as institutions record them (issue 5).

-- name: console-result-delete
DELETE FROM exam_results WHERE registration_id = ? AND subject = ?;

-- name: console-result-insert
INSERT INTO exam_results (registration_id, subject, result, score, recorded_at) VALUES (?, ?, ?, ?, ?);

-- name: console-cert-set
UPDATE registrations SET cert_no = ?, cert_stage = ?, updated_at = ? WHERE id = ?;

-- name: console-cert-event-insert
INSERT INTO certificate_events (registration_id, stage, note, occurred_at, created_by) VALUES (?, ?, ?, ?, ?);

-- name: console-results-of-plan
SELECT er.registration_id, er.subject, er.result, er.score
FROM exam_results er JOIN registrations r ON r.id = er.registration_id
WHERE r.plan_id = ?;

-- name: console-results-delete-subject
DELETE FROM exam_results WHERE subject = ? AND registration_id IN (?);
