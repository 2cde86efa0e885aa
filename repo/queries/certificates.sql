-- Certificate progress (issue 6): a candidate's registrations that reached
-- evaluation, their results and the stages their certificate went through.

-- name: cert-registrations
-- Approved registrations whose evaluation has begun (eval_start on or before the
-- given Beijing date) or that already have results or a certificate stage.
SELECT r.id, r.plan_id, r.cert_no, r.cert_stage
FROM registrations r JOIN plans p ON p.id = r.plan_id
WHERE r.candidate_id = ? AND r.status = 'approved'
  AND (p.eval_start <= ? OR r.cert_stage <> ''
       OR EXISTS (SELECT 1 FROM exam_results e WHERE e.registration_id = r.id))
ORDER BY p.eval_start DESC, r.id DESC;

-- name: cert-results
SELECT registration_id, subject, result, score
FROM exam_results WHERE registration_id IN (?)
ORDER BY registration_id, id;

-- name: cert-stages
-- Every stage event, oldest first (SQLite loses the time type of MIN(), so the
-- first time per stage is picked in Go).
SELECT registration_id, stage, occurred_at AS reached_at
FROM certificate_events WHERE registration_id IN (?)
ORDER BY registration_id, occurred_at, id;

-- name: cert-holder
SELECT name, id_number_enc FROM candidates WHERE id = ?;

-- name: reminders-due
-- Approved registrations of live plans starting on the given date that have no
-- exam reminder yet.
SELECT r.id, r.candidate_id, r.plan_id, p.eval_start
FROM registrations r JOIN plans p ON p.id = r.plan_id
WHERE p.eval_start = ? AND p.state IN ('published', 'closed') AND r.status = 'approved'
  AND NOT EXISTS (SELECT 1 FROM outbox o
                  WHERE o.candidate_id = r.candidate_id AND o.registration_id = r.id
                    AND o.event_kind = 'exam.reminder')
ORDER BY r.id
LIMIT ?;
