-- +goose Up
-- Notifications (issue 6): subscribe-message consents, official-account followers,
-- and one row per (outbox event, channel) recording each delivery attempt before it
-- is sent, so a crash between send and mark can be resolved without a double send.
-- Only CREATE TABLE IF NOT EXISTS: safe to re-run (MySQL commits DDL implicitly).

-- One-time subscribe consents (wx.requestSubscribeMessage "accept"), counted per
-- candidate and template: each accept is one send.
CREATE TABLE IF NOT EXISTS subscription_credits (
    candidate_id BIGINT NOT NULL,
    template_id  VARCHAR(128) NOT NULL,
    credits      INT NOT NULL DEFAULT 0 CHECK (credits >= 0),
    last_result  VARCHAR(16) NOT NULL DEFAULT '',
    updated_at   DATETIME(6) NOT NULL,
    PRIMARY KEY (candidate_id, template_id),
    CONSTRAINT subscription_credits_candidate_fk FOREIGN KEY (candidate_id) REFERENCES candidates(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Followers of the official account. A follower is linked to a candidate by the
-- binding of the chat (candidate_id) or, when the apps share an open platform
-- account, by unionid = candidates.unionid.
CREATE TABLE IF NOT EXISTS oa_followers (
    id              BIGINT AUTO_INCREMENT PRIMARY KEY,
    oa_openid       VARCHAR(64) NOT NULL UNIQUE,
    unionid         VARCHAR(64) NULL,
    candidate_id    BIGINT NULL,
    subscribed      TINYINT(1) NOT NULL DEFAULT 1,
    subscribed_at   DATETIME(6) NULL,
    unsubscribed_at DATETIME(6) NULL,
    bound_at        DATETIME(6) NULL,
    created_at      DATETIME(6) NOT NULL,
    updated_at      DATETIME(6) NOT NULL,
    CONSTRAINT oa_followers_candidate_fk FOREIGN KEY (candidate_id) REFERENCES candidates(id),
    INDEX oa_followers_candidate (candidate_id),
    INDEX oa_followers_unionid (unionid)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- One delivery per (event, channel). state: sending (recorded before the send;
-- found so after a crash it is "in doubt") | retry | sent | no_consent | failed.
CREATE TABLE IF NOT EXISTS outbox_deliveries (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    outbox_id   BIGINT NOT NULL,
    channel     VARCHAR(16) NOT NULL,
    recipient   VARCHAR(64) NOT NULL,
    template_id VARCHAR(128) NOT NULL,
    state       VARCHAR(16) NOT NULL,
    in_doubt    TINYINT(1) NOT NULL DEFAULT 0,
    sole_credit TINYINT(1) NOT NULL DEFAULT 0,
    attempts    INT NOT NULL DEFAULT 0,
    last_error  VARCHAR(500) NOT NULL DEFAULT '',
    started_at  DATETIME(6) NOT NULL,
    finished_at DATETIME(6) NULL,
    UNIQUE KEY outbox_deliveries_event_channel (outbox_id, channel),
    CONSTRAINT outbox_deliveries_outbox_fk FOREIGN KEY (outbox_id) REFERENCES outbox(id),
    INDEX outbox_deliveries_recipient (recipient, template_id, state)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- +goose Down
DROP TABLE IF EXISTS outbox_deliveries;
DROP TABLE IF EXISTS oa_followers;
DROP TABLE IF EXISTS subscription_credits;
