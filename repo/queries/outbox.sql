-- The outbox: one row per event to push, written in the transaction of the change.

-- name: outbox-insert
INSERT INTO outbox (event_kind, dedupe_key, candidate_id, registration_id, plan_id, payload,
    state, attempts, next_attempt_at, created_at)
VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?);
