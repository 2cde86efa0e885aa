-- +goose Up
-- A plan row as every reader wants it: the plan with its institution's name. The
-- named queries read plans through this view, so the row's shape has one source.
CREATE OR REPLACE VIEW plan_rows AS
SELECT p.id, p.plan_no, p.plan_name, p.institution_id, i.name AS institution_name,
       p.occupation_name, p.work_type, p.level, p.seats_total, p.seats_taken,
       p.city, p.district, p.address, p.reg_start, p.reg_deadline, p.eval_start, p.eval_end,
       p.contact_name, p.contact_phone, p.supervision_region, p.state, p.published_at,
       p.created_at, p.updated_at
FROM plans p JOIN institutions i ON i.id = p.institution_id;

-- +goose Down
DROP VIEW IF EXISTS plan_rows;
