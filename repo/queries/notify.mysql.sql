-- Notifications, MySQL/MariaDB variants (see notify.sql).

-- name: outbox-claim-due
-- Several dispatchers claim at once: rows another claimer holds locked are
-- skipped, not waited for (MySQL 8, MariaDB 10.6+).
SELECT id FROM outbox
WHERE state = 'pending' AND next_attempt_at <= ?
ORDER BY next_attempt_at, id
LIMIT ?
FOR UPDATE SKIP LOCKED;

-- name: credit-add
INSERT INTO subscription_credits (candidate_id, template_id, credits, last_result, updated_at)
VALUES (?, ?, ?, ?, ?)
ON DUPLICATE KEY UPDATE credits = LEAST(credits + VALUES(credits), ?),
    last_result = VALUES(last_result), updated_at = VALUES(updated_at);
