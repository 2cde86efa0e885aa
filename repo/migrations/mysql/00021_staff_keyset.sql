-- +goose Up
-- Keyset pages of the audit log filtered by action or by actor, newest first
-- (issue 26): each filter reads its index backwards from the key, with no sort.
CREATE INDEX audit_log_action ON audit_log (action, id);
CREATE INDEX audit_log_actor ON audit_log (actor_id, id);

-- +goose Down
DROP INDEX audit_log_actor ON audit_log;
DROP INDEX audit_log_action ON audit_log;
