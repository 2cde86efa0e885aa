-- The audit log of staff actions (issue 5).

-- name: audit-insert
INSERT INTO audit_log (actor_kind, actor_id, action, object_kind, object_id, detail, ip, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?);

-- name: audit-list
-- Newest first; an actor filter of 0 means every actor, an action of '' every action.
SELECT a.id, a.actor_kind, a.actor_id, COALESCE(s.username, '') AS actor_name, a.action,
       a.object_kind, a.object_id, a.detail, a.ip, a.created_at
FROM audit_log a LEFT JOIN staff_users s ON a.actor_kind = 'staff' AND s.id = a.actor_id
WHERE (? = 0 OR a.actor_id = ?) AND (? = '' OR a.action = ?)
ORDER BY a.id DESC
LIMIT ? OFFSET ?;

-- name: audit-count
SELECT COUNT(*) FROM audit_log a
WHERE (? = 0 OR a.actor_id = ?) AND (? = '' OR a.action = ?);
