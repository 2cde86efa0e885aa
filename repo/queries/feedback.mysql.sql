-- MySQL variants of feedback.sql.

-- name: feedback-lock
SELECT candidate_id, status, created_at FROM feedback WHERE id = ? FOR UPDATE;

-- name: feedback-inbox-count-newest
-- feedback-inbox-count-newest with feedback read first (STRAIGHT_JOIN; a CROSS
-- JOIN does not fix MariaDB's order): asked for up to a thousand rows, MariaDB
-- would otherwise start from the region's plans and sort their feedback
-- (TestStaffListsPlanWithoutSort).
SELECT COUNT(*) AS n, COALESCE(MAX(t.id), 0) AS high, COALESCE(MIN(t.id), 0) AS low FROM (
    SELECT STRAIGHT_JOIN f.id FROM feedback f JOIN plans p ON p.id = f.plan_id
    -- include: feedback-inbox-filter
    ORDER BY f.id DESC
    LIMIT ?
) t;

-- name: feedback-inbox-oldest
-- feedback-inbox-oldest with feedback read first, as above.
SELECT STRAIGHT_JOIN f.id FROM feedback f JOIN plans p ON p.id = f.plan_id
-- include: feedback-inbox-filter
ORDER BY f.id ASC
LIMIT 1;
