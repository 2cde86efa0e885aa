-- Candidates (考生): WeChat accounts with their identity. ID numbers and phones are
-- stored sealed (*_enc) with a blind index (*_idx), never in plaintext.

-- name: candidate-get
SELECT id, openid, unionid, name, id_type, id_number_enc, id_number_idx, gender, birth_date,
    verify_state, identity_bound_at, phone_enc, created_at, updated_at
FROM candidates WHERE id = ?;

-- name: candidate-get-many
SELECT id, openid, unionid, name, id_type, id_number_enc, id_number_idx, gender, birth_date,
    verify_state, identity_bound_at, phone_enc, created_at, updated_at
FROM candidates WHERE id IN (?);

-- name: candidate-id-by-openid
SELECT id FROM candidates WHERE openid = ?;

-- name: candidate-insert
INSERT INTO candidates (openid, unionid, created_at, updated_at) VALUES (?, ?, ?, ?);

-- name: candidate-set-unionid
UPDATE candidates SET unionid = ?, updated_at = ? WHERE id = ?;

-- name: candidate-id-by-id-number
SELECT id FROM candidates WHERE id_number_idx = ?;

-- name: candidate-set-identity
UPDATE candidates SET name = ?, id_type = ?, id_number_enc = ?, id_number_idx = ?, gender = ?,
    birth_date = ?, verify_state = ?, identity_bound_at = ?, updated_at = ?
WHERE id = ?;

-- name: candidate-set-phone
UPDATE candidates SET phone_enc = ?, phone_idx = ?, updated_at = ? WHERE id = ?;

-- name: candidate-locking-registrations
-- Registrations that lock the identity: every one that was ever submitted.
SELECT COUNT(*) FROM registrations
WHERE candidate_id = ? AND status IN ('submitted', 'approved', 'returned', 'rejected');

-- name: consent-insert
INSERT INTO consents (candidate_id, kind, version, accepted_at) VALUES (?, ?, ?, ?);
