-- +goose Up
-- The console (issue 5): staff sign-in sessions, stored by the SHA-256 hash of
-- their token, never the token itself.

CREATE TABLE staff_sessions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash CHAR(64) NOT NULL UNIQUE,
    staff_id   INTEGER NOT NULL REFERENCES staff_users(id),
    ip         TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL,
    expires_at DATETIME NOT NULL,
    revoked_at DATETIME
);
CREATE INDEX staff_sessions_staff ON staff_sessions (staff_id);

-- +goose Down
DROP TABLE staff_sessions;
