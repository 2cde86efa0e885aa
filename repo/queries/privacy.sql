-- Personal data rights (PIPL): a candidate's copy of their data, and account deletion.

-- name: privacy-consents
SELECT kind, version, accepted_at FROM consents WHERE candidate_id = ? ORDER BY id;

-- name: privacy-notifications
SELECT o.id, o.event_kind, o.registration_id, o.state, o.channel, o.created_at, o.sent_at
FROM outbox o WHERE o.candidate_id = ? ORDER BY o.id;

-- name: privacy-registration-events
-- What the institution did to the candidate's registrations (reviews), oldest first.
SELECT object_id, action, detail, created_at FROM audit_log
WHERE object_kind = 'registration' AND object_id IN (?) ORDER BY id;

-- name: privacy-registrations
-- Every registration of a candidate with what deciding its fate needs.
SELECT r.id, r.status, r.seat_held, r.plan_id, p.eval_end, p.plan_no
FROM registrations r JOIN plans p ON p.id = r.plan_id
WHERE r.candidate_id = ? ORDER BY r.id;

-- name: privacy-attachment-blobs
SELECT blob_key FROM attachments WHERE registration_id = ?;

-- name: privacy-attachments-delete
DELETE FROM attachments WHERE registration_id = ?;

-- name: privacy-results-delete
DELETE FROM exam_results WHERE registration_id = ?;

-- name: privacy-cert-events-delete
DELETE FROM certificate_events WHERE registration_id = ?;

-- name: privacy-rounds-delete
DELETE FROM registration_rounds WHERE registration_id = ?;

-- name: privacy-flags-delete
DELETE FROM registration_flags WHERE registration_id = ?;

-- name: privacy-exam-checkins-delete
DELETE FROM exam_checkins WHERE registration_id = ?;

-- name: privacy-exam-seats-delete
DELETE FROM exam_seats WHERE registration_id = ?;

-- name: privacy-exam-tickets-delete
DELETE FROM exam_tickets WHERE registration_id = ?;

-- name: privacy-feedback-unlink-registration
UPDATE feedback SET registration_id = NULL WHERE registration_id = ?;

-- name: privacy-registration-delete
DELETE FROM registrations WHERE id = ? AND candidate_id = ?;

-- name: privacy-registration-forget-phone
UPDATE registrations SET version = version + 1, phone_enc = NULL WHERE candidate_id = ?;

-- name: privacy-deliveries-delete
DELETE FROM outbox_deliveries WHERE outbox_id IN (SELECT id FROM outbox WHERE candidate_id = ?);

-- name: privacy-outbox-delete
DELETE FROM outbox WHERE candidate_id = ?;

-- name: privacy-consents-delete
DELETE FROM consents WHERE candidate_id = ?;

-- name: privacy-credits-delete
DELETE FROM subscription_credits WHERE candidate_id = ?;

-- name: privacy-sessions
SELECT token_hash FROM candidate_sessions WHERE candidate_id = ?;

-- name: privacy-sessions-delete
DELETE FROM candidate_sessions WHERE candidate_id = ?;

-- name: privacy-bind-codes-delete
DELETE FROM oa_bind_codes WHERE candidate_id = ?;

-- name: privacy-follower-openids
SELECT oa_openid FROM oa_followers WHERE candidate_id = ?;

-- name: privacy-conversation-delete
DELETE FROM oa_conversations WHERE oa_openid = ?;

-- name: privacy-inbound-delete
DELETE FROM oa_inbound WHERE oa_openid = ?;

-- name: privacy-followers-delete
DELETE FROM oa_followers WHERE candidate_id = ?;

-- name: privacy-seat-watches-delete
DELETE FROM seat_watches WHERE candidate_id = ?;

-- name: privacy-web-logins-delete
DELETE FROM web_qr_logins WHERE candidate_id = ?;

-- name: privacy-face-sessions-delete
DELETE FROM face_verifications WHERE candidate_id = ?;

-- name: privacy-verification-delete
DELETE FROM candidate_verifications WHERE candidate_id = ?;

-- name: privacy-training-delete
DELETE FROM training_intentions WHERE candidate_id = ?;

-- name: privacy-feedback-anonymise
-- Feedback is a supervision record of the institution: it stays, anonymous and
-- without the contact phone.
UPDATE feedback SET anonymous = 1, contact_pref = 'in_app', contact_phone_enc = NULL WHERE candidate_id = ?;

-- name: privacy-candidate-unlink
-- The account is unlinked from WeChat and loses its phone. With kept registrations
-- the name and sealed ID number stay for the institution, but the blind index is
-- freed so that the person may open a new account with the same document.
UPDATE candidates SET openid = ?, unionid = NULL, phone_enc = NULL, phone_idx = NULL, id_number_idx = NULL,
    updated_at = ? WHERE id = ?;

-- name: privacy-candidate-erase-identity
UPDATE candidates SET name = '', id_type = '', id_number_enc = NULL, gender = '', birth_date = '',
    identity_bound_at = NULL, updated_at = ? WHERE id = ?;

-- name: privacy-deletion-insert
INSERT INTO account_deletions (candidate_id, deleted_at, kept_registrations) VALUES (?, ?, ?);
