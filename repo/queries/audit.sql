-- The audit log of staff actions (issue 5).

-- name: audit-insert
INSERT INTO audit_log (actor_kind, actor_id, action, object_kind, object_id, detail, ip, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?);

-- name: audit-page-older
-- Keyset page, newest first: entries older than the key (the largest id for
-- the first page). An actor filter of 0 means every actor, an action of ''
-- every action; with the arguments inlined, MariaDB folds the unused filter
-- away and reads (action, id), (actor_id, id) or the primary key backwards.
SELECT a.id, a.actor_kind, a.actor_id, COALESCE(s.username, '') AS actor_name, a.action,
       a.object_kind, a.object_id, a.detail, a.ip, a.created_at
FROM audit_log a LEFT JOIN staff_users s ON a.actor_kind = 'staff' AND s.id = a.actor_id
WHERE (? = 0 OR a.actor_id = ?) AND (? = '' OR a.action = ?) AND a.id < ?
ORDER BY a.id DESC
LIMIT ?;

-- name: audit-page-newer
-- Keyset page going back towards the newest: entries newer than the key (0
-- for the last page), oldest first; the store turns them round.
SELECT a.id, a.actor_kind, a.actor_id, COALESCE(s.username, '') AS actor_name, a.action,
       a.object_kind, a.object_id, a.detail, a.ip, a.created_at
FROM audit_log a LEFT JOIN staff_users s ON a.actor_kind = 'staff' AND s.id = a.actor_id
WHERE (? = 0 OR a.actor_id = ?) AND (? = '' OR a.action = ?) AND a.id > ?
ORDER BY a.id ASC
LIMIT ?;

-- name: audit-count-capped
-- How many entries match, counting no further than the cap (the bound of the
-- exact count, ListCount).
SELECT COUNT(*) FROM (
    SELECT 1 FROM audit_log a
    WHERE (? = 0 OR a.actor_id = ?) AND (? = '' OR a.action = ?)
    LIMIT ?
) t;

-- name: audit-count-newest
-- How many entries match among the newest, counting no further than the
-- limit, and the ids of the newest and of the last one counted: the store
-- counts exactly below the limit and estimates beyond it (ListCount).
SELECT COUNT(*) AS n, COALESCE(MAX(t.id), 0) AS high, COALESCE(MIN(t.id), 0) AS low FROM (
    SELECT a.id FROM audit_log a
    WHERE (? = 0 OR a.actor_id = ?) AND (? = '' OR a.action = ?)
    ORDER BY a.id DESC
    LIMIT ?
) t;

-- name: audit-oldest
-- The id of the oldest matching entry (none: no row), for the estimate.
SELECT a.id FROM audit_log a
WHERE (? = 0 OR a.actor_id = ?) AND (? = '' OR a.action = ?)
ORDER BY a.id ASC
LIMIT 1;
