-- Plans as the console manages them (issue 5).

-- name: console-plan-activity-same-older
-- Keyset page of the console's plan list in the 最近有动态 order (the latest
-- activity first; plans.activity_at: the latest change of the plan or of any
-- of its registrations, migration 00027), key (activity, id), in two reads.
-- This one: the plans of the key's own activity below the key's id, largest
-- first, read from (activity_at, id) or (institution_id, activity_at, id) as
-- an equality and a range; console-plan-activity-older goes on with the
-- older activities when the page is not full. One read of the row value
-- (activity_at, id) < (?, ?) made SQLite seek on activity_at alone and walk
-- every plan of the key's activity (all 100,000 in the bench, which loads
-- them at once: 45–62 ms for the middle page). Filters as in
-- console-plan-older.
SELECT r.* FROM (
    SELECT p.id, p.activity_at FROM plans p
    WHERE (? = 0 OR p.institution_id = ?) AND (? = '' OR p.supervision_region = ?)
      AND (? = '' OR p.state = ?)
      AND (? = '' OR p.plan_no = ? OR p.plan_name LIKE ? OR p.occupation_name LIKE ?)
      AND (? = '' OR p.state = ?) AND (? = '' OR +p.state IN (?, ?))
      AND (? = '' OR +p.reg_start <= ?) AND (? = '' OR +p.reg_deadline >= ?) AND (? = '' OR +p.reg_deadline < ?)
      AND (? = '' OR EXISTS (SELECT 1 FROM registrations r WHERE r.plan_id = p.id AND r.status = ?))
      AND p.activity_at = ? AND p.id < ?
    ORDER BY p.id DESC
    LIMIT ?
) k
JOIN plan_rows r ON r.id = k.id
ORDER BY k.id DESC;

-- name: console-plan-activity-older
-- The 最近有动态 order's second read going older: plans whose activity is
-- older than the key's, the latest first (the first page's key is past every
-- plan), read backwards from the key with no sort.
SELECT r.* FROM (
    SELECT p.id, p.activity_at FROM plans p
    WHERE (? = 0 OR p.institution_id = ?) AND (? = '' OR p.supervision_region = ?)
      AND (? = '' OR p.state = ?)
      AND (? = '' OR p.plan_no = ? OR p.plan_name LIKE ? OR p.occupation_name LIKE ?)
      AND (? = '' OR p.state = ?) AND (? = '' OR +p.state IN (?, ?))
      AND (? = '' OR +p.reg_start <= ?) AND (? = '' OR +p.reg_deadline >= ?) AND (? = '' OR +p.reg_deadline < ?)
      AND (? = '' OR EXISTS (SELECT 1 FROM registrations r WHERE r.plan_id = p.id AND r.status = ?))
      AND p.activity_at < ?
    ORDER BY p.activity_at DESC, p.id DESC
    LIMIT ?
) k
JOIN plan_rows r ON r.id = k.id
ORDER BY k.activity_at DESC, k.id DESC;

-- name: console-plan-activity-same-newer
-- The same order going back towards the latest, first read: the plans of
-- the key's activity above the key's id, smallest first; the store turns
-- the page round.
SELECT r.* FROM (
    SELECT p.id, p.activity_at FROM plans p
    WHERE (? = 0 OR p.institution_id = ?) AND (? = '' OR p.supervision_region = ?)
      AND (? = '' OR p.state = ?)
      AND (? = '' OR p.plan_no = ? OR p.plan_name LIKE ? OR p.occupation_name LIKE ?)
      AND (? = '' OR p.state = ?) AND (? = '' OR +p.state IN (?, ?))
      AND (? = '' OR +p.reg_start <= ?) AND (? = '' OR +p.reg_deadline >= ?) AND (? = '' OR +p.reg_deadline < ?)
      AND (? = '' OR EXISTS (SELECT 1 FROM registrations r WHERE r.plan_id = p.id AND r.status = ?))
      AND p.activity_at = ? AND p.id > ?
    ORDER BY p.id ASC
    LIMIT ?
) k
JOIN plan_rows r ON r.id = k.id
ORDER BY k.id ASC;

-- name: console-plan-activity-newer
-- Its second read: plans whose activity is newer than the key's (before
-- every plan for the last page), oldest first.
SELECT r.* FROM (
    SELECT p.id, p.activity_at FROM plans p
    WHERE (? = 0 OR p.institution_id = ?) AND (? = '' OR p.supervision_region = ?)
      AND (? = '' OR p.state = ?)
      AND (? = '' OR p.plan_no = ? OR p.plan_name LIKE ? OR p.occupation_name LIKE ?)
      AND (? = '' OR p.state = ?) AND (? = '' OR +p.state IN (?, ?))
      AND (? = '' OR +p.reg_start <= ?) AND (? = '' OR +p.reg_deadline >= ?) AND (? = '' OR +p.reg_deadline < ?)
      AND (? = '' OR EXISTS (SELECT 1 FROM registrations r WHERE r.plan_id = p.id AND r.status = ?))
      AND p.activity_at > ?
    ORDER BY p.activity_at ASC, p.id ASC
    LIMIT ?
) k
JOIN plan_rows r ON r.id = k.id
ORDER BY k.activity_at ASC, k.id ASC;

-- name: plan-activity-of
-- A plan's activity: the key of a page boundary in the 最近有动态 order.
SELECT activity_at FROM plans WHERE id = ?;

-- name: console-plan-older
-- Keyset page of the console's plan list, newest first. Filters: institution (0 =
-- any), supervision region ('' = any), state ('' = any), a text matched against
-- the number, the name and the occupation ('' = any), and a phase (each term
-- '' = any; PlanFilter.args sets those of the phase asked): 报名中 (published,
-- today within the registration period), 已截止 (published or closed, the
-- deadline has passed), 有待审核 (a registration awaits review; the store
-- pages that phase from the registrations, console-plan-pending-older, and
-- the 最近有动态 order uses this term). Each term is an optional filter of
-- its own so that the store specialises it (optfilter.go); the unary + on the
-- dates and the ended states keeps SQLite walking the key's index (it read
-- all ended plans from (state, reg_deadline, id) and sorted them; MariaDB
-- ignores the +; the count has none, and reads (state, reg_deadline,
-- reg_start) alone, migration 00029). Plans older than
-- the key (the largest id for the first page). The page's ids are found first,
-- each filter reading the primary key or its (column, id) index backwards
-- from the key with no sort; only those plans are joined to their institution.
SELECT r.* FROM (
    SELECT p.id FROM plans p
    WHERE (? = 0 OR p.institution_id = ?) AND (? = '' OR p.supervision_region = ?)
      AND (? = '' OR p.state = ?)
      AND (? = '' OR p.plan_no = ? OR p.plan_name LIKE ? OR p.occupation_name LIKE ?)
      AND (? = '' OR p.state = ?) AND (? = '' OR +p.state IN (?, ?))
      AND (? = '' OR +p.reg_start <= ?) AND (? = '' OR +p.reg_deadline >= ?) AND (? = '' OR +p.reg_deadline < ?)
      AND (? = '' OR EXISTS (SELECT 1 FROM registrations r WHERE r.plan_id = p.id AND r.status = ?))
      AND p.id < ?
    ORDER BY p.id DESC
    LIMIT ?
) k
JOIN plan_rows r ON r.id = k.id
ORDER BY r.id DESC;

-- name: console-plan-newer
-- Keyset page going back towards the newest: plans newer than the key (0 for
-- the last page), oldest first; the store turns them round.
SELECT r.* FROM (
    SELECT p.id FROM plans p
    WHERE (? = 0 OR p.institution_id = ?) AND (? = '' OR p.supervision_region = ?)
      AND (? = '' OR p.state = ?)
      AND (? = '' OR p.plan_no = ? OR p.plan_name LIKE ? OR p.occupation_name LIKE ?)
      AND (? = '' OR p.state = ?) AND (? = '' OR +p.state IN (?, ?))
      AND (? = '' OR +p.reg_start <= ?) AND (? = '' OR +p.reg_deadline >= ?) AND (? = '' OR +p.reg_deadline < ?)
      AND (? = '' OR EXISTS (SELECT 1 FROM registrations r WHERE r.plan_id = p.id AND r.status = ?))
      AND p.id > ?
    ORDER BY p.id ASC
    LIMIT ?
) k
JOIN plan_rows r ON r.id = k.id
ORDER BY r.id ASC;

-- name: console-plan-count-capped
-- How many plans match, counting no further than the cap.
SELECT COUNT(*) FROM (
    SELECT 1 FROM plans p
    WHERE (? = 0 OR p.institution_id = ?) AND (? = '' OR p.supervision_region = ?)
      AND (? = '' OR p.state = ?)
      AND (? = '' OR p.plan_no = ? OR p.plan_name LIKE ? OR p.occupation_name LIKE ?)
      AND (? = '' OR p.state = ?) AND (? = '' OR p.state IN (?, ?))
      AND (? = '' OR p.reg_start <= ?) AND (? = '' OR p.reg_deadline >= ?) AND (? = '' OR p.reg_deadline < ?)
      AND (? = '' OR EXISTS (SELECT 1 FROM registrations r WHERE r.plan_id = p.id AND r.status = ?))
    LIMIT ?
) t;

-- name: console-plan-update
-- Seats may not drop below those taken, and the level may change only while no
-- registration of the plan was ever submitted: both are checked in the UPDATE
-- itself, so a submit racing the edit cannot slip between check and write.
UPDATE plans SET plan_no = ?, plan_name = ?, occupation_name = ?, work_type = ?, level = ?,
    seats_total = ?, city = ?, district = ?, address = ?, reg_start = ?, reg_deadline = ?,
    eval_start = ?, eval_end = ?, contact_name = ?, contact_phone = ?, supervision_region = ?,
    updated_at = ?, activity_at = CASE WHEN activity_at < ? THEN ? ELSE activity_at END
WHERE id = ? AND seats_taken <= ?
  AND (level = ? OR NOT EXISTS (SELECT 1 FROM registrations r WHERE r.plan_id = ? AND r.submitted_at IS NOT NULL));

-- name: console-plan-set-state
UPDATE plans SET state = ?, published_at = COALESCE(published_at, ?), updated_at = ?,
    activity_at = CASE WHEN activity_at < ? THEN ? ELSE activity_at END
WHERE id = ? AND state = ?;

-- name: console-plan-submitted
-- How many registrations of a plan were ever submitted.
SELECT COUNT(*) FROM registrations WHERE plan_id = ? AND submitted_at IS NOT NULL;

-- name: console-plan-status-counts
-- Registrations by plan and status, for the plans listed (IN expanded by sqlx.In).
SELECT plan_id, status, COUNT(*) AS n FROM registrations WHERE plan_id IN (?)
GROUP BY plan_id, status;

-- name: console-plan-seat-holders
-- The registrations of a plan that hold a seat: who is told when the plan changes.
SELECT id, candidate_id FROM registrations WHERE plan_id = ? AND seat_held = 1 ORDER BY id;

-- name: console-plan-pending-older
-- 有待审核 (the phase 'pending'), going older: the next plan ids below the key
-- with a registration awaiting review, largest first, read from registrations
-- (status, plan_id) (migration 00028) backwards with no sort. Few plans have
-- one: the store takes them a batch at a time and keeps the plans matching
-- the other filters (console-plan-among-older), instead of probing every plan.
SELECT DISTINCT g.plan_id FROM registrations g
WHERE g.status = 'submitted' AND g.plan_id < ?
ORDER BY g.plan_id DESC
LIMIT ?;

-- name: console-plan-pending-newer
-- The same going back towards the newest: plan ids above the key, smallest first.
SELECT DISTINCT g.plan_id FROM registrations g
WHERE g.status = 'submitted' AND g.plan_id > ?
ORDER BY g.plan_id ASC
LIMIT ?;

-- name: console-plan-among-older
-- The plans among the ids given (IN expanded by sqlx.In) that match the
-- filters of console-plan-older, newest first: a batch of plan ids found by
-- another key (console-plan-pending-older, console-plan-gram-older) read by
-- primary key (the unary + keeps SQLite off the filters' (column, id)
-- indexes: read from them, the batch's plans came out of id order and were
-- sorted; MariaDB ignores it).
SELECT r.* FROM (
    SELECT p.id FROM plans p
    WHERE (? = 0 OR +p.institution_id = ?) AND (? = '' OR +p.supervision_region = ?)
      AND (? = '' OR +p.state = ?)
      AND (? = '' OR p.plan_no = ? OR p.plan_name LIKE ? OR p.occupation_name LIKE ?)
      AND (? = '' OR +p.state = ?) AND (? = '' OR +p.state IN (?, ?))
      AND (? = '' OR +p.reg_start <= ?) AND (? = '' OR +p.reg_deadline >= ?) AND (? = '' OR +p.reg_deadline < ?)
      AND (? = '' OR EXISTS (SELECT 1 FROM registrations r WHERE r.plan_id = p.id AND r.status = ?))
      AND p.id IN (?)
    ORDER BY p.id DESC
    LIMIT ?
) k
JOIN plan_rows r ON r.id = k.id
ORDER BY r.id DESC;

-- name: console-plan-among-newer
-- The same oldest first; the store turns them round.
SELECT r.* FROM (
    SELECT p.id FROM plans p
    WHERE (? = 0 OR +p.institution_id = ?) AND (? = '' OR +p.supervision_region = ?)
      AND (? = '' OR +p.state = ?)
      AND (? = '' OR p.plan_no = ? OR p.plan_name LIKE ? OR p.occupation_name LIKE ?)
      AND (? = '' OR +p.state = ?) AND (? = '' OR +p.state IN (?, ?))
      AND (? = '' OR +p.reg_start <= ?) AND (? = '' OR +p.reg_deadline >= ?) AND (? = '' OR +p.reg_deadline < ?)
      AND (? = '' OR EXISTS (SELECT 1 FROM registrations r WHERE r.plan_id = p.id AND r.status = ?))
      AND p.id IN (?)
    ORDER BY p.id ASC
    LIMIT ?
) k
JOIN plan_rows r ON r.id = k.id
ORDER BY r.id ASC;

-- name: console-plan-pending-count-capped
-- How many plans with a registration awaiting review match the filters of
-- console-plan-count-capped but the phase, counting no further than the cap:
-- the distinct plan ids of the registrations awaiting review, each looked up.
SELECT COUNT(*) FROM (
    SELECT p.id FROM (
        SELECT DISTINCT s.plan_id FROM registrations s WHERE s.status = 'submitted'
    ) g
    JOIN plans p ON p.id = g.plan_id
    WHERE (? = 0 OR p.institution_id = ?) AND (? = '' OR p.supervision_region = ?)
      AND (? = '' OR p.state = ?)
      AND (? = '' OR p.plan_no = ? OR p.plan_name LIKE ? OR p.occupation_name LIKE ?)
    LIMIT ?
) t;

-- name: console-plan-gram-count-capped
-- How many plans hold a gram (plan_grams, migration 00031), counting no
-- further than the cap: the store drives a search from the rarest gram of
-- its text.
SELECT COUNT(*) FROM (SELECT 1 FROM plan_grams WHERE gram = ? LIMIT ?) t;

-- name: console-plan-gram-older
-- A search of the plan list going older: the next plan ids below the key
-- holding a gram of the text, largest first, read from plan_grams' key
-- backwards with no sort. The store keeps the plans of each batch that match
-- the search and the other filters (console-plan-among-older): a plan holding
-- the gram need not hold the text.
SELECT plan_id FROM plan_grams
WHERE gram = ? AND plan_id < ?
ORDER BY plan_id DESC
LIMIT ?;

-- name: console-plan-gram-newer
-- The same going back towards the newest: plan ids above the key, smallest first.
SELECT plan_id FROM plan_grams
WHERE gram = ? AND plan_id > ?
ORDER BY plan_id ASC
LIMIT ?;

-- name: console-plan-gram-holds
-- Whether a plan holds a gram: the plan whose number is the text is counted
-- apart when it does not.
SELECT COUNT(*) FROM plan_grams WHERE gram = ? AND plan_id = ?;

-- name: console-plan-id-by-no
-- The plan whose number is the text of a search (plan_no is unique).
SELECT id FROM plans WHERE plan_no = ?;

-- name: console-plan-gram-search-count-newest
-- How many plans match the filters of console-plan-count-capped and a search,
-- counting the newest no further than the limit, with the span of their ids
-- (newestSpan): the plans holding the search's rarest gram, newest first from
-- plan_grams' key, each looked up and tried. Past the limit the store
-- estimates the count from the share of the holders in the span that match.
-- CROSS JOIN keeps SQLite starting from the gram (with a region and a state,
-- or a phase, it read those plans by their index and probed each for the
-- gram: as many as the filters match, however few hold the text).
SELECT COUNT(*) AS n, COALESCE(MAX(t.id), 0) AS high, COALESCE(MIN(t.id), 0) AS low FROM (
    SELECT p.id FROM plan_grams g
    CROSS JOIN plans p ON p.id = g.plan_id
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

-- name: console-plan-gram-holders-from
-- How many plans from an id up hold a gram: the holders a search's count
-- walked (console-plan-gram-search-count-newest), the sample of its estimate.
SELECT COUNT(*) FROM plan_grams WHERE gram = ? AND plan_id >= ?;

-- name: plan-grams-fill
-- Writes the grams of the plans with ids in [lo, hi] (plan_grams, migration
-- 00031): every character and every pair of adjacent characters of the name
-- and of the occupation. The store calls it with each plan it writes.
INSERT OR IGNORE INTO plan_grams (gram, plan_id)
SELECT substr(t.s, n.i, w.k), t.id
FROM (SELECT id, plan_name AS s FROM plans WHERE id BETWEEN ? AND ?
      UNION ALL SELECT id, occupation_name FROM plans WHERE id BETWEEN ? AND ?) t
JOIN (SELECT 1 AS k UNION ALL SELECT 2) w
JOIN text_positions n ON n.i <= length(t.s) - w.k + 1;

-- name: plan-grams-write
-- Writes one plan's grams from its name and occupation given (plan id, name,
-- occupation), as plan-grams-fill does, without reading plans: on MariaDB a
-- read of the plan inside an INSERT … SELECT takes a shared lock on its row,
-- which an edit's UPDATE must then upgrade (a deadlock with a concurrent
-- submit's seat update).
INSERT OR IGNORE INTO plan_grams (gram, plan_id)
SELECT substr(t.s, n.i, w.k), ?
FROM (SELECT ? AS s UNION ALL SELECT ?) t
JOIN (SELECT 1 AS k UNION ALL SELECT 2) w
JOIN text_positions n ON n.i <= length(t.s) - w.k + 1;

-- name: plan-grams-clear
-- Removes a plan's grams of the name and occupation given (plan id, name,
-- occupation: the plan's before an edit), by key (plan_grams has no index by
-- plan).
DELETE FROM plan_grams WHERE plan_id = ? AND gram IN (
    SELECT substr(t.s, n.i, w.k)
    FROM (SELECT ? AS s UNION ALL SELECT ?) t
    JOIN (SELECT 1 AS k UNION ALL SELECT 2) w
    JOIN text_positions n ON n.i <= length(t.s) - w.k + 1
);

-- name: plan-texts
-- A plan's name and occupation as they are, whose grams an edit removes,
-- and its 业务监管地, which its feedback carries (on MariaDB read with the row's write lock: console_plans.mysql.sql).
SELECT plan_name, occupation_name, supervision_region FROM plans WHERE id = ?;
