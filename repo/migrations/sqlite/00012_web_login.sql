-- +goose Up
-- Sign-in to the candidate web pages (issue 16) with a temporary parameter QR code
-- of the official account: the browser that asked for the code holds a secret
-- (only its hash is stored); scanning the code in WeChat sends the scene to the
-- callback, which records the candidate; the browser then trades its secret for a
-- session, once.
CREATE TABLE web_qr_logins (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    scene        TEXT NOT NULL UNIQUE,
    browser_idx  CHAR(64) NOT NULL UNIQUE,
    candidate_id INTEGER REFERENCES candidates(id),
    scanned_at   DATETIME,
    used_at      DATETIME,
    expires_at   DATETIME NOT NULL,
    created_at   DATETIME NOT NULL
);
CREATE INDEX web_qr_logins_expires ON web_qr_logins (expires_at);

-- +goose Down
DROP TABLE web_qr_logins;
