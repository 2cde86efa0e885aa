-- The change feed of the plan read model (issue 27). Every plan write adds a row
-- in its own transaction; replicas read the feed by id, never by time.

-- name: plan-change-insert
INSERT INTO plan_changes (plan_id, changed_at) VALUES (?, ?);

-- name: plan-changes-after
-- The feed past the highest id a replica has seen.
SELECT id, plan_id FROM plan_changes WHERE id > ? ORDER BY id LIMIT ?;

-- name: plan-changes-in
-- Ids a replica saw skipped (a transaction that had not committed yet, or rolled
-- back), asked for again (IN expanded by sqlx.In).
SELECT id, plan_id FROM plan_changes WHERE id IN (?);

-- name: plan-changes-bounds
SELECT COALESCE(MIN(id), 0) AS lo, COALESCE(MAX(id), 0) AS hi FROM plan_changes;

-- name: plan-changes-ids
SELECT id FROM plan_changes WHERE id > ? AND id <= ? ORDER BY id;

-- name: plan-changes-prune
DELETE FROM plan_changes WHERE changed_at < ?;

-- name: plan-rows-all
SELECT * FROM plan_rows p ORDER BY p.id;

-- name: plan-rows-in
SELECT * FROM plan_rows p WHERE p.id IN (?);

-- name: plan-versions
-- What the read model's reconciliation compares, for every plan: cheap to read.
SELECT id, state, seats_taken, updated_at FROM plans;
