-- Notifications (issue 6): the dispatcher's claims and deliveries, subscribe
-- credits and official-account followers. The claim's SELECT is per dialect
-- (notify.mysql.sql, notify.sqlite.sql).

-- name: outbox-claim-mark
-- A claimed row stays 'pending' with next_attempt_at moved to the end of its
-- lease: if its claimer dies, the row is simply due again when the lease ends.
UPDATE outbox SET claimed_by = ?, claimed_until = ?, next_attempt_at = ?
WHERE id IN (?) AND state = 'pending';

-- name: outbox-claimed
SELECT id, event_kind, dedupe_key, candidate_id, registration_id, plan_id, payload, state,
       channel, attempts, next_attempt_at, claimed_by, claimed_until, last_error, created_at, sent_at
FROM outbox WHERE id IN (?) AND claimed_by = ?
ORDER BY next_attempt_at, id;

-- name: outbox-get
SELECT id, event_kind, dedupe_key, candidate_id, registration_id, plan_id, payload, state,
       channel, attempts, next_attempt_at, claimed_by, claimed_until, last_error, created_at, sent_at
FROM outbox WHERE id = ?;

-- name: outbox-touch-attempt
-- Counts one send attempt, only while the caller still holds the claim.
UPDATE outbox SET attempts = attempts + 1 WHERE id = ? AND claimed_by = ?;

-- name: outbox-finish
-- A terminal state (sent, app_only, failed, skipped); next_attempt_at then holds
-- the time the row reached it.
UPDATE outbox SET state = ?, channel = ?, last_error = ?, sent_at = ?, next_attempt_at = ?,
       claimed_by = '', claimed_until = NULL
WHERE id = ? AND claimed_by = ?;

-- name: outbox-reschedule
UPDATE outbox SET next_attempt_at = ?, last_error = ?, claimed_by = '', claimed_until = NULL
WHERE id = ? AND claimed_by = ?;

-- name: delivery-list
SELECT id, outbox_id, channel, recipient, template_id, state, in_doubt, sole_credit, attempts,
       last_error, started_at, finished_at
FROM outbox_deliveries WHERE outbox_id = ? ORDER BY id;

-- name: delivery-insert
INSERT INTO outbox_deliveries (outbox_id, channel, recipient, template_id, state, in_doubt,
    sole_credit, attempts, last_error, started_at)
VALUES (?, ?, ?, ?, 'sending', 0, ?, 1, '', ?);

-- name: delivery-resume
UPDATE outbox_deliveries SET state = 'sending', in_doubt = ?, attempts = attempts + 1, started_at = ?
WHERE id = ?;

-- name: delivery-set
UPDATE outbox_deliveries SET state = ?, in_doubt = ?, last_error = ?, finished_at = ?
WHERE id = ?;

-- name: delivery-open-count
-- Other subscribe deliveries to the same user and template whose outcome is open.
SELECT COUNT(*) FROM outbox_deliveries
WHERE recipient = ? AND template_id = ? AND channel = 'subscribe' AND state IN ('sending', 'retry')
  AND outbox_id <> ?;

-- name: credit-get
SELECT credits FROM subscription_credits WHERE candidate_id = ? AND template_id = ?;

-- name: credit-take
UPDATE subscription_credits SET credits = credits - 1, updated_at = ?
WHERE candidate_id = ? AND template_id = ? AND credits > 0;

-- name: credit-return
UPDATE subscription_credits SET credits = credits + 1, updated_at = ?
WHERE candidate_id = ? AND template_id = ?;

-- name: credit-clear
UPDATE subscription_credits SET credits = 0, updated_at = ?
WHERE candidate_id = ? AND template_id = ?;

-- name: credits-of-candidate
SELECT template_id, credits FROM subscription_credits WHERE candidate_id = ?;

-- name: notify-recipient
SELECT openid, COALESCE(unionid, '') AS unionid, name FROM candidates WHERE id = ?;

-- name: follower-by-candidate
SELECT oa_openid FROM oa_followers WHERE candidate_id = ? AND subscribed = 1
ORDER BY updated_at DESC, id DESC LIMIT 1;

-- name: follower-by-unionid
SELECT oa_openid FROM oa_followers WHERE unionid = ? AND subscribed = 1
ORDER BY updated_at DESC, id DESC LIMIT 1;

-- name: follower-gone
UPDATE oa_followers SET subscribed = 0, unsubscribed_at = ?, updated_at = ?
WHERE oa_openid = ? AND subscribed = 1;

-- name: follower-upsert-select
SELECT id FROM oa_followers WHERE oa_openid = ?;

-- name: follower-insert
INSERT INTO oa_followers (oa_openid, unionid, candidate_id, subscribed, subscribed_at, bound_at,
    created_at, updated_at)
VALUES (?, ?, ?, 1, ?, ?, ?, ?);

-- name: follower-update
UPDATE oa_followers SET unionid = COALESCE(?, unionid), candidate_id = COALESCE(?, candidate_id),
       subscribed = 1, subscribed_at = ?, bound_at = COALESCE(?, bound_at), updated_at = ?
WHERE id = ?;

-- name: notify-event-facts
-- What a message about a registration shows: the registration and its plan.
SELECT r.id AS registration_id, r.status, r.review_note, r.cert_no, r.cert_stage,
       p.id AS plan_id, p.plan_no, p.plan_name, p.occupation_name, p.work_type, p.level,
       p.city, p.district, p.address, p.eval_start, p.eval_end, p.state AS plan_state,
       p.contact_phone, i.name AS institution_name
FROM registrations r
JOIN plans p ON p.id = r.plan_id
JOIN institutions i ON i.id = p.institution_id
WHERE r.id = ?;

-- name: outbox-failed-count
SELECT COUNT(*) FROM outbox WHERE state = 'failed';

-- name: outbox-failed-list
SELECT id, event_kind, dedupe_key, candidate_id, registration_id, plan_id, payload, state,
       channel, attempts, next_attempt_at, claimed_by, claimed_until, last_error, created_at, sent_at
FROM outbox WHERE state = 'failed'
ORDER BY id DESC LIMIT ? OFFSET ?;

-- name: outbox-requeue
UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ?, last_error = '',
       claimed_by = '', claimed_until = NULL
WHERE id = ? AND state = 'failed';

-- name: delivery-requeue
UPDATE outbox_deliveries SET state = 'retry', in_doubt = 0, attempts = 0
WHERE outbox_id = ? AND state = 'failed';

-- name: outbox-depth
SELECT event_kind, state, COUNT(*) AS n FROM outbox
WHERE state IN ('pending', 'failed')
GROUP BY event_kind, state;

-- name: outbox-claims-renew
-- A live dispatcher's heartbeat: its claims last another lease (IN lists
-- expanded by sqlx.In: the rows it holds, and the tokens it holds them by).
UPDATE outbox SET claimed_until = ?, next_attempt_at = ?
WHERE id IN (?) AND claimed_by IN (?) AND state = 'pending';

-- name: outbox-claims-release-previous
-- A restarted dispatcher hands back, due at once, the claims its previous run
-- left: tokens that start with its name but not with its current run's prefix.
UPDATE outbox SET claimed_by = '', claimed_until = NULL, next_attempt_at = ?
WHERE state = 'pending' AND claimed_by <> ''
  AND SUBSTR(claimed_by, 1, ?) = ? AND SUBSTR(claimed_by, 1, ?) <> ?;
