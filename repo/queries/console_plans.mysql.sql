-- MariaDB variants of console_plans.sql.

-- name: console-plan-pending-count-capped
-- How many plans with a registration awaiting review match the filters of
-- console-plan-count-capped but the phase, counting no further than the cap.
-- STRAIGHT_JOIN keeps MariaDB starting from the distinct plan ids of the
-- registrations awaiting review (few) and looking each plan up: left to
-- itself, with an institution or region filter it read all that filter's
-- plans and probed the ids for each (TestStaffListsPlanWithoutSort).
SELECT COUNT(*) FROM (
    SELECT STRAIGHT_JOIN p.id FROM (
        SELECT DISTINCT s.plan_id FROM registrations s WHERE s.status = 'submitted'
    ) g
    JOIN plans p ON p.id = g.plan_id
    WHERE (? = 0 OR p.institution_id = ?) AND (? = '' OR p.supervision_region = ?)
      AND (? = '' OR p.state = ?)
      AND (? = '' OR p.plan_no = ? OR p.plan_name LIKE ? OR p.occupation_name LIKE ?)
    LIMIT ?
) t;

-- name: console-plan-gram-search-count-newest
-- STRAIGHT_JOIN keeps MariaDB starting from the plans holding the gram, in
-- the key's order, and looking each plan up, as SQLite does.
SELECT COUNT(*) AS n, COALESCE(MAX(t.id), 0) AS high, COALESCE(MIN(t.id), 0) AS low FROM (
    SELECT STRAIGHT_JOIN p.id FROM plan_grams g
    JOIN plans p ON p.id = g.plan_id
    WHERE g.gram = ?
      AND (? = 0 OR p.institution_id = ?) AND (? = '' OR p.supervision_region = ?)
      AND (? = '' OR p.state = ?)
      AND (? = '' OR p.plan_no = ? OR p.plan_name LIKE ? OR p.occupation_name LIKE ?)
      AND (? = '' OR p.state = ?) AND (? = '' OR p.state IN (?, ?))
      AND (? = '' OR p.reg_start <= ?) AND (? = '' OR p.reg_deadline >= ?) AND (? = '' OR p.reg_deadline < ?)
      AND (? = '' OR EXISTS (SELECT 1 FROM registrations r WHERE r.plan_id = p.id AND r.status = ?))
    ORDER BY g.plan_id DESC
    LIMIT ?
) t;

-- name: plan-grams-fill
-- MariaDB counts a text's characters with CHAR_LENGTH (LENGTH counts bytes).
INSERT IGNORE INTO plan_grams (gram, plan_id)
SELECT SUBSTRING(t.s, n.i, w.k), t.id
FROM (SELECT id, plan_name AS s FROM plans WHERE id BETWEEN ? AND ?
      UNION ALL SELECT id, occupation_name FROM plans WHERE id BETWEEN ? AND ?) t
JOIN (SELECT 1 AS k UNION ALL SELECT 2) w
JOIN text_positions n ON n.i <= CHAR_LENGTH(t.s) - w.k + 1;

-- name: plan-grams-write
INSERT IGNORE INTO plan_grams (gram, plan_id)
SELECT SUBSTRING(t.s, n.i, w.k), ?
FROM (SELECT ? AS s UNION ALL SELECT ?) t
JOIN (SELECT 1 AS k UNION ALL SELECT 2) w
JOIN text_positions n ON n.i <= CHAR_LENGTH(t.s) - w.k + 1;

-- name: plan-grams-clear
DELETE FROM plan_grams WHERE plan_id = ? AND gram IN (
    SELECT SUBSTRING(t.s, n.i, w.k)
    FROM (SELECT ? AS s UNION ALL SELECT ?) t
    JOIN (SELECT 1 AS k UNION ALL SELECT 2) w
    JOIN text_positions n ON n.i <= CHAR_LENGTH(t.s) - w.k + 1
);

-- name: plan-texts
-- Read with the row's write lock, the edit's first lock on it: a plain read
-- saw a snapshot older than a concurrent edit (whose grams then stayed), and
-- a shared lock would have to be upgraded by the UPDATE (a deadlock with a
-- concurrent seat update).
SELECT plan_name, occupation_name, supervision_region FROM plans WHERE id = ? FOR UPDATE;
