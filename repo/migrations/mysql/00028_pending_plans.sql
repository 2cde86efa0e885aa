-- +goose Up
-- The console plan list's 有待审核 filter (issue 26 item 2) starts from the
-- registrations awaiting review: their distinct plan ids in order, read from
-- (status, plan_id) with no sort, instead of probing every plan for one.
ALTER TABLE registrations ADD INDEX registrations_status_plan (status, plan_id);

-- +goose Down
ALTER TABLE registrations DROP INDEX registrations_status_plan;
