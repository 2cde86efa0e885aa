-- +goose Up
-- The audit log filtered by actor and action together (issue 26 item 2): the
-- matches read in order from one index, as on MariaDB.
CREATE INDEX IF NOT EXISTS audit_log_actor_action ON audit_log (actor_id, action, id);

-- +goose Down
DROP INDEX IF EXISTS audit_log_actor_action;
