-- MySQL variants of registrations.sql: row locks for read-modify-write.

-- name: registration-lock
SELECT id, plan_id, candidate_id, code_id, id_number_idx, status, basis, education,
    years_in_occupation, candidate_source, labor_relation, phone_enc, employer,
    commitment_accepted_at, employer_mismatch, seat_held, submitted_at, reviewed_at,
    review_note, return_fields, cancelled_at, created_at, updated_at, version
FROM registrations WHERE id = ? FOR UPDATE;

-- name: plan-seats-lock
SELECT seats_taken, seats_total, state FROM plans WHERE id = ? FOR UPDATE;

-- name: registration-submit-many
-- registration-set-status-pinned for many registrations at once (a plan's
-- commit group of submits): each row of p pins one registration (its id and
-- version) and its candidate's identity as checked, and gives the ID number's
-- blind index and tail hash to write; the store repeats p's row. A
-- registration whose pin fails is left as it is: the caller compares the
-- count of rows changed. Each row also gives the registration's submit time
-- (in the group's order). The rows are SELECTs joined by UNION ALL (MariaDB
-- and MySQL 8 read those alike; their VALUES rows differ). Each registration
-- is found by its primary key: the index of the statuses would read every
-- draft of every plan (id_tail_explain_test).
UPDATE registrations r FORCE INDEX (PRIMARY)
JOIN (WITH p (id, version, candidate_id, idx, tail, birth_date, verify_state, name, id_type, gender, at) AS (
    SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) SELECT * FROM p) p ON p.id = r.id AND p.version = r.version
JOIN candidates c ON c.id = p.candidate_id AND c.id_number_idx = p.idx AND c.birth_date = p.birth_date
    AND c.verify_state = p.verify_state AND c.name = p.name AND c.id_type = p.id_type AND c.gender = p.gender
SET r.version = r.version + 1, r.status = ?, r.seat_held = ?, r.id_number_idx = p.idx,
    r.id_tail_idx = COALESCE(NULLIF(p.tail, ''), r.id_tail_idx), r.submitted_at = p.at, r.updated_at = p.at
WHERE r.status = ?;
