-- Notifications, SQLite variants (see notify.sql).

-- name: outbox-claim-due
-- SQLite has one writer: the claim transaction runs on the single writer
-- connection, so claims are serialised and need no row locks.
SELECT id FROM outbox
WHERE state = 'pending' AND next_attempt_at <= ?
ORDER BY next_attempt_at, id
LIMIT ?;

-- name: credit-add
INSERT INTO subscription_credits (candidate_id, template_id, credits, last_result, updated_at)
VALUES (?, ?, ?, ?, ?)
ON CONFLICT (candidate_id, template_id) DO UPDATE SET credits = MIN(credits + excluded.credits, ?),
    last_result = excluded.last_result, updated_at = excluded.updated_at;
