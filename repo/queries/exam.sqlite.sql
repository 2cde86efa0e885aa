-- SQLite forms of the exam blocks (issue 18).

-- name: exam-outbox-insert-many
-- One row; the store repeats the VALUES tuple. An event already enqueued (same
-- dedupe_key) is skipped.
INSERT INTO outbox (event_kind, dedupe_key, candidate_id, registration_id, plan_id, payload,
    state, attempts, next_attempt_at, created_at)
VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)
ON CONFLICT (dedupe_key) DO NOTHING;
