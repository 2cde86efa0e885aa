-- +goose Up
-- Keyset pages of the feedback inbox and the console plan list, newest first
-- (issue 26): a status, category, institution, region or state filter reads
-- its (column, id) index backwards from the key, with no sort.
CREATE INDEX feedback_status ON feedback (status, id);
CREATE INDEX feedback_category ON feedback (category, id);
CREATE INDEX plans_institution_id ON plans (institution_id, id);
CREATE INDEX plans_region_id ON plans (supervision_region, id);
CREATE INDEX plans_state_id ON plans (state, id);

-- +goose Down
DROP INDEX plans_state_id ON plans;
DROP INDEX plans_region_id ON plans;
DROP INDEX plans_institution_id ON plans;
DROP INDEX feedback_category ON feedback;
DROP INDEX feedback_status ON feedback;
