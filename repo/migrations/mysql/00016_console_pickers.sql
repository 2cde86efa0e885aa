-- +goose Up
-- Occupations admins add to the plan form's 职业名称 picker, after the national
-- catalogue of the option lists (issue 15, point 6).
CREATE TABLE IF NOT EXISTS plan_occupations (
    name       VARCHAR(50) NOT NULL PRIMARY KEY,
    created_by BIGINT NULL,
    created_at DATETIME(6) NOT NULL,
    CONSTRAINT plan_occupations_staff_fk FOREIGN KEY (created_by) REFERENCES staff_users(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- A password an admin reset: the account must choose a new one at its next
-- sign-in (issue 15, point 8). The row goes when the password is changed.
CREATE TABLE IF NOT EXISTS staff_password_resets (
    staff_id   BIGINT NOT NULL PRIMARY KEY,
    reset_by   BIGINT NULL,
    created_at DATETIME(6) NOT NULL,
    CONSTRAINT staff_password_resets_staff_fk FOREIGN KEY (staff_id) REFERENCES staff_users(id),
    CONSTRAINT staff_password_resets_by_fk FOREIGN KEY (reset_by) REFERENCES staff_users(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- +goose Down
DROP TABLE IF EXISTS staff_password_resets;
DROP TABLE IF EXISTS plan_occupations;
