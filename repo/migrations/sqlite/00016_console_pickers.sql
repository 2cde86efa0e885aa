-- +goose Up
-- Occupations admins add to the plan form's 职业名称 picker, after the national
-- catalogue of the option lists (issue 15, point 6).
CREATE TABLE IF NOT EXISTS plan_occupations (
    name       TEXT PRIMARY KEY,
    created_by INTEGER REFERENCES staff_users(id),
    created_at DATETIME NOT NULL
);

-- A password an admin reset: the account must choose a new one at its next
-- sign-in (issue 15, point 8). The row goes when the password is changed.
CREATE TABLE IF NOT EXISTS staff_password_resets (
    staff_id   INTEGER PRIMARY KEY REFERENCES staff_users(id),
    reset_by   INTEGER REFERENCES staff_users(id),
    created_at DATETIME NOT NULL
);

-- +goose Down
DROP TABLE IF EXISTS staff_password_resets;
DROP TABLE IF EXISTS plan_occupations;
