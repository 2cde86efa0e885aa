-- Registrations as institution staff review them (issue 5). Drafts stay the
-- candidate's own: staff lists never show them.

-- name: console-reg-list
-- Filters: status ('' = every non-draft), name part ('' = any), ID number blind
-- index ('' = any).
SELECT r.id, r.plan_id, r.candidate_id, r.status, r.basis, r.education, r.years_in_occupation,
       r.candidate_source, r.labor_relation, r.phone_enc, r.employer, r.employer_mismatch,
       r.submitted_at, r.reviewed_at, r.cert_no, r.cert_stage,
       c.name, c.id_type, c.id_number_enc, c.gender, c.birth_date
FROM registrations r JOIN candidates c ON c.id = r.candidate_id
WHERE r.plan_id = ? AND r.status <> 'draft' AND (? = '' OR r.status = ?)
  AND (? = '' OR c.name LIKE ?) AND (? = '' OR r.id_number_idx = ?)
  AND (? = '' OR r.id_tail_idx = ?)
ORDER BY r.submitted_at, r.id
LIMIT ? OFFSET ?;

-- name: console-reg-all
-- console-reg-list without a page: every matching row, for a streamed export
-- (with the candidate's verification state, which the roster shows).
SELECT r.id, r.plan_id, r.candidate_id, r.status, r.basis, r.education, r.years_in_occupation,
       r.candidate_source, r.labor_relation, r.phone_enc, r.employer, r.employer_mismatch,
       r.submitted_at, r.reviewed_at, r.cert_no, r.cert_stage,
       c.name, c.id_type, c.id_number_enc, c.gender, c.birth_date, c.verify_state
FROM registrations r JOIN candidates c ON c.id = r.candidate_id
WHERE r.plan_id = ? AND r.status <> 'draft' AND (? = '' OR r.status = ?)
  AND (? = '' OR c.name LIKE ?) AND (? = '' OR r.id_number_idx = ?)
  AND (? = '' OR r.id_tail_idx = ?)
ORDER BY r.submitted_at, r.id;

-- name: console-reg-count
SELECT COUNT(*)
FROM registrations r JOIN candidates c ON c.id = r.candidate_id
WHERE r.plan_id = ? AND r.status <> 'draft' AND (? = '' OR r.status = ?)
  AND (? = '' OR c.name LIKE ?) AND (? = '' OR r.id_number_idx = ?)
  AND (? = '' OR r.id_tail_idx = ?);

-- name: console-reg-review
-- The reviewer's record beside a status change (same transaction).
UPDATE registrations SET version = version + 1, reviewed_at = ?, reviewed_by = ?, review_note = ?, return_fields = ?
WHERE id = ?;

-- name: console-reg-one
-- One registration of a plan as console-reg-list shows it (the result edit form).
SELECT r.id, r.plan_id, r.candidate_id, r.status, r.basis, r.education, r.years_in_occupation,
       r.candidate_source, r.labor_relation, r.phone_enc, r.employer, r.employer_mismatch,
       r.submitted_at, r.reviewed_at, r.cert_no, r.cert_stage,
       c.name, c.id_type, c.id_number_enc, c.gender, c.birth_date
FROM registrations r JOIN candidates c ON c.id = r.candidate_id
WHERE r.id = ? AND r.plan_id = ?;

-- name: registration-set-id-tail
-- The keyed hash of the registration's ID number's last four characters.
UPDATE registrations SET version = version + 1, id_tail_idx = ? WHERE id = ?;

-- name: registration-id-tail-todo
-- A batch of registrations whose tail hash is missing, after an id, with their
-- candidate's sealed number (only where it is still the number registered).
SELECT r.id, c.id_number_enc
FROM registrations r JOIN candidates c ON c.id = r.candidate_id
WHERE r.id > ? AND r.id_tail_idx IS NULL AND c.id_number_idx = r.id_number_idx
  AND c.id_number_enc IS NOT NULL
ORDER BY r.id
LIMIT ?;
