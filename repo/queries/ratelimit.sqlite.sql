-- name: rate-incr
INSERT INTO rate_counters (bucket, window_start, count) VALUES (?, ?, 1)
ON CONFLICT (bucket, window_start) DO UPDATE SET count = count + 1;
