-- Fixed-window rate counters shared by every replica (sign-in, code guessing, ...).

-- name: rate-get
SELECT count FROM rate_counters WHERE bucket = ? AND window_start = ?;

-- name: rate-prune
DELETE FROM rate_counters WHERE window_start < ?;

-- name: rate-decr
UPDATE rate_counters SET count = count - 1 WHERE bucket = ? AND window_start = ? AND count > 0;
