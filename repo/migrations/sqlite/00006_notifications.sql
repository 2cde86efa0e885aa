-- +goose Up
-- Notifications (issue 6): subscribe-message consents, official-account followers,
-- and one row per (outbox event, channel) recording each delivery attempt before it
-- is sent, so a crash between send and mark can be resolved without a double send.

-- One-time subscribe consents (wx.requestSubscribeMessage "accept"), counted per
-- candidate and template: each accept is one send.
CREATE TABLE subscription_credits (
    candidate_id INTEGER NOT NULL REFERENCES candidates(id),
    template_id  TEXT NOT NULL,
    credits      INTEGER NOT NULL DEFAULT 0 CHECK (credits >= 0),
    last_result  TEXT NOT NULL DEFAULT '',
    updated_at   DATETIME NOT NULL,
    PRIMARY KEY (candidate_id, template_id)
);

-- Followers of the official account. A follower is linked to a candidate by the
-- binding of the chat (candidate_id) or, when the apps share an open platform
-- account, by unionid = candidates.unionid.
CREATE TABLE oa_followers (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    oa_openid       TEXT NOT NULL UNIQUE,
    unionid         TEXT,
    candidate_id    INTEGER REFERENCES candidates(id),
    subscribed      INTEGER NOT NULL DEFAULT 1,
    subscribed_at   DATETIME,
    unsubscribed_at DATETIME,
    bound_at        DATETIME,
    created_at      DATETIME NOT NULL,
    updated_at      DATETIME NOT NULL
);
CREATE INDEX oa_followers_candidate ON oa_followers (candidate_id);
CREATE INDEX oa_followers_unionid ON oa_followers (unionid);

-- One delivery per (event, channel). state: sending (recorded before the send;
-- found so after a crash it is "in doubt") | retry | sent | no_consent | failed.
CREATE TABLE outbox_deliveries (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    outbox_id   INTEGER NOT NULL REFERENCES outbox(id),
    channel     TEXT NOT NULL,
    recipient   TEXT NOT NULL,
    template_id TEXT NOT NULL,
    state       TEXT NOT NULL,
    in_doubt    INTEGER NOT NULL DEFAULT 0,
    sole_credit INTEGER NOT NULL DEFAULT 0,
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT NOT NULL DEFAULT '',
    started_at  DATETIME NOT NULL,
    finished_at DATETIME,
    UNIQUE (outbox_id, channel)
);
CREATE INDEX outbox_deliveries_recipient ON outbox_deliveries (recipient, template_id, state);

-- +goose Down
DROP TABLE outbox_deliveries;
DROP TABLE oa_followers;
DROP TABLE subscription_credits;
