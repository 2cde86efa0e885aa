-- +goose Up
-- Security (issue 14).
--
-- Official-account callback nonces: each (timestamp, nonce) WeChat signs is
-- accepted once per body (WeChat's own retries repeat the whole request, body
-- included); the same pair with another body is a forgery. Used when Redis is
-- not configured or down. Rows older than the signature window are pruned.
CREATE TABLE oa_callback_nonces (
    nonce_key  TEXT PRIMARY KEY,
    body_sum   CHAR(64) NOT NULL,
    created_at DATETIME NOT NULL
);
CREATE INDEX oa_callback_nonces_created ON oa_callback_nonces (created_at);

-- Console sign-in failures per (account, client address): wrong passwords from
-- one address lock that address out of that account, for longer each time, and
-- nobody else. A success from the address clears its row; an admin's unlock
-- clears them all.
CREATE TABLE staff_login_failures (
    staff_id     INTEGER NOT NULL REFERENCES staff_users(id),
    ip           TEXT NOT NULL,
    failures     INTEGER NOT NULL DEFAULT 0,
    locked_until DATETIME,
    updated_at   DATETIME NOT NULL,
    PRIMARY KEY (staff_id, ip)
);
CREATE INDEX staff_login_failures_updated ON staff_login_failures (updated_at);

-- +goose Down
DROP TABLE staff_login_failures;
DROP TABLE oa_callback_nonces;
