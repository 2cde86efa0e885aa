-- MySQL variants of registrations.sql: row locks for read-modify-write.

-- name: registration-lock
SELECT id, plan_id, candidate_id, code_id, id_number_idx, status, basis, education,
    years_in_occupation, candidate_source, labor_relation, phone_enc, employer,
    commitment_accepted_at, employer_mismatch, seat_held, submitted_at, reviewed_at,
    review_note, return_fields, cancelled_at, created_at, updated_at, version
FROM registrations WHERE id = ? FOR UPDATE;
