-- +goose Up
-- The audit log filtered by actor and action together (issue 26 item 2): with
-- only (actor_id, id) and (action, id), MariaDB intersected the two and sorted
-- the matches to count the newest of them; this index reads them in order.
CREATE INDEX audit_log_actor_action ON audit_log (actor_id, action, id);

-- +goose Down
DROP INDEX audit_log_actor_action ON audit_log;
