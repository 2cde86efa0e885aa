-- name: rate-incr
INSERT INTO rate_counters (bucket, window_start, count) VALUES (?, ?, 1)
ON DUPLICATE KEY UPDATE count = count + 1;
