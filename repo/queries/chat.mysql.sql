-- Official-account chat, MySQL/MariaDB variants (see chat.sql).

-- name: oa-conversation-put
INSERT INTO oa_conversations (oa_openid, state, data, expires_at, updated_at) VALUES (?, ?, ?, ?, ?)
ON DUPLICATE KEY UPDATE state = VALUES(state), data = VALUES(data),
    expires_at = VALUES(expires_at), updated_at = VALUES(updated_at);
