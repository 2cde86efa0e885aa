-- +goose Up
-- Keyset pages of the feedback inbox and the console plan list, newest first
-- (issue 26): a status, category, institution, region or state filter reads
-- its (column, id) index backwards from the key, with no sort.
CREATE INDEX IF NOT EXISTS feedback_status ON feedback (status, id);
CREATE INDEX IF NOT EXISTS feedback_category ON feedback (category, id);
CREATE INDEX IF NOT EXISTS plans_institution_id ON plans (institution_id, id);
CREATE INDEX IF NOT EXISTS plans_region_id ON plans (supervision_region, id);
CREATE INDEX IF NOT EXISTS plans_state_id ON plans (state, id);

-- +goose Down
DROP INDEX IF EXISTS plans_state_id;
DROP INDEX IF EXISTS plans_region_id;
DROP INDEX IF EXISTS plans_institution_id;
DROP INDEX IF EXISTS feedback_category;
DROP INDEX IF EXISTS feedback_status;
