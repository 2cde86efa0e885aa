-- +goose Up
-- The feedback inbox by region read from feedback alone (issue 26 item 2);
-- see sqlite/00032_feedback_region.sql. The column is plans.supervision_region's
-- type.
ALTER TABLE feedback ADD COLUMN supervision_region VARCHAR(100) NOT NULL DEFAULT '';
UPDATE feedback f JOIN plans p ON p.id = f.plan_id SET f.supervision_region = p.supervision_region;
CREATE INDEX feedback_region ON feedback (supervision_region, id);
CREATE INDEX feedback_region_status ON feedback (supervision_region, status, id);
CREATE INDEX feedback_region_category ON feedback (supervision_region, category, id);

-- +goose Down
DROP INDEX feedback_region_category ON feedback;
DROP INDEX feedback_region_status ON feedback;
DROP INDEX feedback_region ON feedback;
ALTER TABLE feedback DROP COLUMN supervision_region;
