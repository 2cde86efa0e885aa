-- +goose Up
-- A registration's version (issue 19 item 1, issue 26): every write to a
-- registration's row moves it (version = version + 1 in each UPDATE of the
-- store; attachments' writes touch the row). A submit reads the registration,
-- its attachments and the candidate before the plan's serial group and its
-- status write holds to this version (registration-set-status-pinned), so the
-- group re-reads none of them. updated_at could not serve: two writes in one
-- tick of a clock (or a stopped one) leave it equal.
ALTER TABLE registrations ADD COLUMN version INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE registrations DROP COLUMN version;
