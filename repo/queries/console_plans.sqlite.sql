-- SQLite variants of console_plans.sql: the 最近有动态 keyset as a row value
-- (activity_at, id) < (?, ?). EXPLAIN shows SQLite seeking plans_activity on
-- activity_at alone and filtering the id among the plans of the key's activity
-- (all of them when they share it, as the bench's plans do: 40 ms p50 for its
-- middle page, against 49 ms for the two ranges of console_plans.sql). The
-- store passes (activity, id) here, (activity, activity, id) on MariaDB. The
-- filter block repeats the one of console_plans.sql (the named queries have no
-- shared fragments).

-- name: console-plan-activity-older
-- Keyset page of the console's plan list in the 最近有动态 order: plans whose
-- activity (plans.activity_at: the latest change of the plan or of any of its
-- registrations, migration 00027) is older than the key (activity, id), the
-- latest first; the first page's key is past every plan. Filters as in
-- console-plan-older. The page's ids are read from (activity_at, id) or
-- (institution_id, activity_at, id) backwards from the key, with no sort.
SELECT r.* FROM (
    SELECT p.id, p.activity_at FROM plans p
    WHERE (? = 0 OR p.institution_id = ?) AND (? = '' OR p.supervision_region = ?)
      AND (? = '' OR p.state = ?)
      AND (? = '' OR p.plan_no = ? OR p.plan_name LIKE ? OR p.occupation_name LIKE ?)
      AND (? = '' OR p.state = ?) AND (? = '' OR +p.state IN (?, ?))
      AND (? = '' OR +p.reg_start <= ?) AND (? = '' OR +p.reg_deadline >= ?) AND (? = '' OR +p.reg_deadline < ?)
      AND (? = '' OR EXISTS (SELECT 1 FROM registrations r WHERE r.plan_id = p.id AND r.status = ?))
      AND (p.activity_at, p.id) < (?, ?)
    ORDER BY p.activity_at DESC, p.id DESC
    LIMIT ?
) k
JOIN plan_rows r ON r.id = k.id
ORDER BY k.activity_at DESC, k.id DESC;

-- name: console-plan-activity-newer
-- The same order going back towards the latest: plans whose activity is newer
-- than the key (before every plan for the last page), oldest first; the store
-- turns them round.
SELECT r.* FROM (
    SELECT p.id, p.activity_at FROM plans p
    WHERE (? = 0 OR p.institution_id = ?) AND (? = '' OR p.supervision_region = ?)
      AND (? = '' OR p.state = ?)
      AND (? = '' OR p.plan_no = ? OR p.plan_name LIKE ? OR p.occupation_name LIKE ?)
      AND (? = '' OR p.state = ?) AND (? = '' OR +p.state IN (?, ?))
      AND (? = '' OR +p.reg_start <= ?) AND (? = '' OR +p.reg_deadline >= ?) AND (? = '' OR +p.reg_deadline < ?)
      AND (? = '' OR EXISTS (SELECT 1 FROM registrations r WHERE r.plan_id = p.id AND r.status = ?))
      AND (p.activity_at, p.id) > (?, ?)
    ORDER BY p.activity_at ASC, p.id ASC
    LIMIT ?
) k
JOIN plan_rows r ON r.id = k.id
ORDER BY k.activity_at ASC, k.id ASC;

