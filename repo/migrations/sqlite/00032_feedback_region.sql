-- +goose Up
-- The feedback inbox by region read from feedback alone (issue 26 item 2):
-- each feedback carries its plan's 业务监管地, kept by the store with the
-- plan's (feedback-insert reads it from the plan; a plan's edit and
-- plan-set-region move its feedback). A supervisor's page, capped count and
-- estimate were joins to plans row by row (a count of 1,001 matches read
-- 1,001 plans, twice for an estimate); they are now ranges of these indexes.
ALTER TABLE feedback ADD COLUMN supervision_region TEXT NOT NULL DEFAULT '';
UPDATE feedback SET supervision_region = (SELECT p.supervision_region FROM plans p WHERE p.id = feedback.plan_id);
CREATE INDEX IF NOT EXISTS feedback_region ON feedback (supervision_region, id);
CREATE INDEX IF NOT EXISTS feedback_region_status ON feedback (supervision_region, status, id);
CREATE INDEX IF NOT EXISTS feedback_region_category ON feedback (supervision_region, category, id);

-- +goose Down
DROP INDEX IF EXISTS feedback_region_category;
DROP INDEX IF EXISTS feedback_region_status;
DROP INDEX IF EXISTS feedback_region;
ALTER TABLE feedback DROP COLUMN supervision_region;
