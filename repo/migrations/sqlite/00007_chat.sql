-- +goose Up
-- Official-account chat (issue 7). Followers and their link to a candidate are the
-- oa_followers table of 00006 (shared with notifications); this adds the one-time
-- bind codes, each follower's conversation state (so any replica answers the next
-- message) and the inbound message log that turns WeChat's retries of one message
-- into one effect with the same reply.

-- A 6-digit code a signed-in candidate gets in the mini-program and sends in the
-- chat. Only an HMAC of the digits is stored; a code is used once.
CREATE TABLE oa_bind_codes (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    candidate_id INTEGER NOT NULL REFERENCES candidates(id),
    code_idx     CHAR(64) NOT NULL,
    expires_at   DATETIME NOT NULL,
    used_at      DATETIME,
    used_by      TEXT NOT NULL DEFAULT '',
    created_at   DATETIME NOT NULL
);
CREATE INDEX oa_bind_codes_code ON oa_bind_codes (code_idx, expires_at);
CREATE INDEX oa_bind_codes_candidate ON oa_bind_codes (candidate_id);

-- Where a follower is in the conversation; a row past expires_at is stale.
CREATE TABLE oa_conversations (
    oa_openid  TEXT PRIMARY KEY,
    state      TEXT NOT NULL,
    data       TEXT NOT NULL DEFAULT '{}',
    expires_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);
CREATE INDEX oa_conversations_expires ON oa_conversations (expires_at);

-- One row per inbound message (msg:<MsgId>, or evt:<FromUserName>:<CreateTime>):
-- done = 0 while the first delivery is being answered, then the reply it got.
CREATE TABLE oa_inbound (
    dedupe_key TEXT PRIMARY KEY,
    oa_openid  TEXT NOT NULL,
    done       INTEGER NOT NULL DEFAULT 0,
    reply      TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL
);
CREATE INDEX oa_inbound_created ON oa_inbound (created_at);

-- +goose Down
DROP TABLE oa_inbound;
DROP TABLE oa_conversations;
DROP TABLE oa_bind_codes;
