-- MySQL overrides of face.sql: the locking reads of the ID-number claim.

-- name: candidate-lock
SELECT id FROM candidates WHERE id = ? FOR UPDATE;

-- name: candidate-id-by-id-number-lock
SELECT id FROM candidates WHERE id_number_idx = ? FOR UPDATE;
