-- Official-account chat, SQLite variants (see chat.sql).

-- name: oa-conversation-put
INSERT INTO oa_conversations (oa_openid, state, data, expires_at, updated_at) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (oa_openid) DO UPDATE SET state = excluded.state, data = excluded.data,
    expires_at = excluded.expires_at, updated_at = excluded.updated_at;
