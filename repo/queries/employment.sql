-- The employment register: employers on record in the provincial HR system,
-- imported from CSV, keyed by the blind index of the ID number (never the number).

-- name: employment-latest
SELECT employer FROM employment_register WHERE id_number_idx = ?
ORDER BY from_date DESC, id DESC
LIMIT 1;

-- name: employment-update
UPDATE employment_register SET employer = ?, imported_at = ? WHERE id_number_idx = ? AND from_date = ?;

-- name: employment-insert
INSERT INTO employment_register (id_number_idx, employer, from_date, imported_at) VALUES (?, ?, ?, ?);

-- name: employment-clear
DELETE FROM employment_register;
