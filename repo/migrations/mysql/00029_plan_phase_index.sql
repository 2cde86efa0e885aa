-- +goose Up
-- The console plan list's capped count of 报名中 (published, started, not past
-- its deadline) and 已截止 (published or closed, past its deadline) reads
-- (state, reg_deadline, reg_start) alone, not each plan's row (issue 26 item 2).
ALTER TABLE plans ADD INDEX plans_state_phase (state, reg_deadline, reg_start);

-- +goose Down
ALTER TABLE plans DROP INDEX plans_state_phase;
