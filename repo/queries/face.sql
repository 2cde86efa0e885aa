-- Real-name verification by face (issue 17): sessions, verified identities, the
-- plans that require them, and the release of an ID number to its verified owner.

-- name: face-insert
INSERT INTO face_verifications (candidate_id, purpose, name, id_type, id_number_enc, id_number_idx,
    consent_version, out_seq_no, verify_id, method, state, created_at, expires_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?);

-- name: face-get-by-verify-id
SELECT id, candidate_id, purpose, name, id_type, id_number_enc, id_number_idx, consent_version,
    out_seq_no, verify_id, method, state, result_code, created_at, expires_at, finished_at
FROM face_verifications WHERE verify_id = ?;

-- name: face-finish
-- Ends a pending session; 0 rows when it already ended (a reused verify id).
UPDATE face_verifications SET state = ?, result_code = ?, finished_at = ?
WHERE id = ? AND state = 'pending';

-- name: face-set-state
UPDATE face_verifications SET state = ? WHERE id = ?;

-- name: candidate-lock
-- The candidate's row, locked for the rest of the transaction (face.mysql.sql).
SELECT id FROM candidates WHERE id = ?;

-- name: candidate-id-by-id-number-lock
SELECT id FROM candidates WHERE id_number_idx = ?;

-- name: candidate-verify
UPDATE candidates SET name = ?, id_type = ?, id_number_enc = ?, id_number_idx = ?, gender = ?,
    birth_date = ?, verify_state = 'verified', identity_bound_at = COALESCE(identity_bound_at, ?), updated_at = ?
WHERE id = ?;

-- name: candidate-release-identity
-- Releases an unverified binding of an ID number; 0 rows when it changed meanwhile.
UPDATE candidates SET name = '', id_type = '', id_number_enc = NULL, id_number_idx = NULL, gender = '',
    birth_date = '', verify_state = 'unverified', identity_bound_at = NULL, updated_at = ?
WHERE id = ? AND id_number_idx = ? AND verify_state <> 'verified';

-- name: candidate-verification-delete
DELETE FROM candidate_verifications WHERE candidate_id = ?;

-- name: candidate-verification-insert
INSERT INTO candidate_verifications (candidate_id, method, verification_id, verified_at) VALUES (?, ?, ?, ?);

-- name: candidate-verification-get
SELECT method, verified_at FROM candidate_verifications WHERE candidate_id = ?;

-- name: registrations-cancel-drafts
UPDATE registrations SET version = version + 1, status = 'cancelled', cancelled_at = ?, updated_at = ?
WHERE candidate_id = ? AND status = 'draft';

-- name: registrations-locking-of
-- Every registration of a candidate that was ever submitted.
SELECT id, plan_id FROM registrations
WHERE candidate_id = ? AND status IN ('submitted', 'approved', 'returned', 'rejected');

-- name: registration-move
UPDATE registrations SET version = version + 1, candidate_id = ?, updated_at = ? WHERE id = ? AND candidate_id = ?;

-- name: registration-flag
INSERT INTO registration_flags (registration_id, kind, detail, created_at) VALUES (?, ?, ?, ?);

-- name: plan-require-verified
SELECT require_verified FROM plan_identity_rules WHERE plan_id = ?;

-- name: plan-require-verified-delete
DELETE FROM plan_identity_rules WHERE plan_id = ?;

-- name: plan-require-verified-insert
INSERT INTO plan_identity_rules (plan_id, require_verified, updated_by, updated_at) VALUES (?, ?, ?, ?);

-- name: registration-marks-of
-- The verification state of some registrations' candidates and their claim
-- flags (one page of a list).
SELECT r.id, c.verify_state, COALESCE(f.detail, '') AS flag
FROM registrations r JOIN candidates c ON c.id = r.candidate_id
LEFT JOIN registration_flags f ON f.registration_id = r.id AND f.kind = 'id_claimed'
WHERE r.id IN (?);
