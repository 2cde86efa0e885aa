-- Supervision feedback (issue 9): a candidate's feedback about a plan, its photos,
-- and the supervisor's handling. The inbox is the feedback on plans whose
-- supervision_region is the supervisor's; a region of '' (admins) means every plan.

-- name: feedback-insert
-- The feedback carries its plan's 业务监管地 (migration 00032), read from the
-- plan in the same statement.
INSERT INTO feedback (candidate_id, plan_id, registration_id, category, content, contact_pref,
    contact_phone_enc, anonymous, status, reply, content_check, created_at, updated_at, supervision_region)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'submitted', '', ?, ?, ?,
    COALESCE((SELECT p.supervision_region FROM plans p WHERE p.id = ?), ''));

-- name: feedback-region-stale-plans
-- The plans some of whose feedback does not carry the plan's region: written
-- (or the plan's region changed) by a build before migration 00032 while it
-- was being applied. A plain read of every feedback with its plan.
SELECT DISTINCT f.plan_id FROM feedback f JOIN plans p ON p.id = f.plan_id
WHERE f.supervision_region <> p.supervision_region;

-- name: plan-region-lock
-- A plan's region, read before its feedback is moved to it (on MariaDB with
-- the plan's write lock, feedback.mysql.sql: the plan first, then its
-- feedback, the order of a plan's edit).
SELECT supervision_region FROM plans WHERE id = ?;

-- name: feedback-move-region
-- A plan's feedback follows its 业务监管地 (an edit, plan-set-region).
UPDATE feedback SET supervision_region = ? WHERE plan_id = ? AND supervision_region <> ?;

-- name: feedback-get
SELECT f.*,
       (SELECT COUNT(*) FROM feedback_images fi WHERE fi.feedback_id = f.id AND fi.check_status <> 'risky') AS image_count
FROM feedback_rows f
WHERE f.id = ?;

-- name: feedback-list-by-candidate
-- The candidate's own list names no replier.
SELECT f.id, f.candidate_id, f.plan_id, f.registration_id, f.category, f.content, f.contact_pref,
       f.contact_phone_enc, f.anonymous, f.status, f.reply, f.replied_at, f.replied_by,
       f.created_at, f.updated_at, f.content_check,
       f.plan_no, f.plan_name, f.occupation_name, f.level, f.supervision_region,
       f.institution_name, f.sender_name, '' AS replier_name,
       (SELECT COUNT(*) FROM feedback_images fi WHERE fi.feedback_id = f.id AND fi.check_status <> 'risky') AS image_count
FROM feedback_rows f
WHERE f.candidate_id = ?
ORDER BY f.id DESC
LIMIT ? OFFSET ?;

-- name: feedback-count-by-candidate
SELECT COUNT(*) FROM feedback WHERE candidate_id = ?;

-- fragment: feedback-inbox-filter
-- The inbox's filters over feedback f: region ('' = every region; the plan's
-- 业务监管地 as the feedback carries it, migration 00032), status ('' = every
-- status), category ('' = every category).
WHERE (? = '' OR f.supervision_region = ?) AND (? = '' OR f.status = ?) AND (? = '' OR f.category = ?)

-- name: feedback-inbox-older
-- Keyset page, newest first: feedback older than the key (the largest id for
-- the first page). The page's ids are a range of one index of feedback (the
-- primary key, or (region, id), (region, status, id), (region, category, id),
-- (status, id), (category, id), as the filters set), read with no sort and no
-- join; only those rows are joined. The photos are counted for the page's
-- ids afterwards (feedback-image-counts), not per row here.
SELECT f.*
FROM (
    SELECT f.id FROM feedback f
    -- include: feedback-inbox-filter
      AND f.id < ?
    ORDER BY f.id DESC
    LIMIT ?
) k
JOIN feedback_rows f ON f.id = k.id
ORDER BY f.id DESC;

-- name: feedback-inbox-newer
-- Keyset page going back towards the newest: feedback newer than the key (0
-- for the last page), oldest first; the store turns them round.
SELECT f.*
FROM (
    SELECT f.id FROM feedback f
    -- include: feedback-inbox-filter
      AND f.id > ?
    ORDER BY f.id ASC
    LIMIT ?
) k
JOIN feedback_rows f ON f.id = k.id
ORDER BY f.id ASC;

-- name: feedback-inbox-count-capped
-- How many feedback match, counting no further than the cap (the bound of the
-- exact count, ListCount): entries of one index of feedback.
SELECT COUNT(*) FROM (
    SELECT 1 FROM feedback f
    -- include: feedback-inbox-filter
    LIMIT ?
) t;

-- name: feedback-inbox-count-newest
-- How many feedback match among the newest, counting no further than the
-- limit, and the ids of the newest and of the last one counted, for the
-- estimate beyond the exact count (ListCount). Asked only when more than the
-- cap match; read newest first from the filters' index, stopping at the limit.
SELECT COUNT(*) AS n, COALESCE(MAX(t.id), 0) AS high, COALESCE(MIN(t.id), 0) AS low FROM (
    SELECT f.id FROM feedback f
    -- include: feedback-inbox-filter
    ORDER BY f.id DESC
    LIMIT ?
) t;

-- name: feedback-inbox-oldest
-- The id of the oldest matching feedback (none: no row), for the estimate.
SELECT f.id FROM feedback f
-- include: feedback-inbox-filter
ORDER BY f.id ASC
LIMIT 1;

-- name: feedback-image-counts
-- The photos shown (not judged risky) of the feedback listed (IN expanded by sqlx.In).
SELECT feedback_id, COUNT(*) AS n FROM feedback_images
WHERE feedback_id IN (?) AND check_status <> 'risky'
GROUP BY feedback_id;

-- name: feedback-export
-- feedback-inbox without a page: every matching row, for a streamed export.
-- Newest first. Filters: region ('' = every region), status ('' = every status),
-- category ('' = every category).
SELECT f.id, f.candidate_id, f.plan_id, f.registration_id, f.category, f.content, f.contact_pref,
       f.contact_phone_enc, f.anonymous, f.status, f.reply, f.replied_at, f.replied_by,
       f.created_at, f.updated_at,
       f.plan_no, f.plan_name, f.occupation_name, f.level, f.supervision_region,
       f.institution_name, f.sender_name, f.replier_name,
       (SELECT COUNT(*) FROM feedback_images fi WHERE fi.feedback_id = f.id) AS image_count
FROM feedback_rows f
WHERE (? = '' OR f.supervision_region = ?) AND (? = '' OR f.status = ?) AND (? = '' OR f.category = ?)
ORDER BY f.id DESC;

-- name: feedback-set-status
-- Conditional on the status read, so two supervisors cannot both move it.
UPDATE feedback SET status = ?, updated_at = ? WHERE id = ? AND status = ?;

-- name: feedback-reply
UPDATE feedback SET reply = ?, replied_at = ?, replied_by = ?, status = ?, updated_at = ?
WHERE id = ? AND status = ?;

-- name: feedback-image-insert
INSERT INTO feedback_images (feedback_id, file_name, content_type, size, blob_key, uploaded_at,
    check_status, check_token)
VALUES (?, ?, ?, ?, ?, ?, ?, ?);

-- name: feedback-image-list
SELECT id, feedback_id, file_name, content_type, size, blob_key, uploaded_at, check_status
FROM feedback_images WHERE feedback_id = ? ORDER BY id;

-- name: feedback-image-get
SELECT id, feedback_id, file_name, content_type, size, blob_key, uploaded_at, check_status
FROM feedback_images WHERE id = ? AND feedback_id = ?;

-- name: feedback-image-by-token
-- The photo WeChat's media check fetches: only while its check is pending.
SELECT id, feedback_id, file_name, content_type, size, blob_key, uploaded_at, check_status
FROM feedback_images WHERE check_token = ? AND check_status = 'pending';

-- name: feedback-image-set-trace
UPDATE feedback_images SET check_trace_id = ? WHERE id = ? AND check_status = 'pending';

-- name: feedback-image-by-trace
SELECT fi.id, fi.feedback_id, fi.check_status, f.candidate_id, f.plan_id, f.registration_id
FROM feedback_images fi JOIN feedback f ON f.id = fi.feedback_id
WHERE fi.check_trace_id = ?;

-- name: feedback-image-set-check
-- A pending check ends: its verdict, or unchecked when it could not be made.
-- The fetch URL's token goes with it.
UPDATE feedback_images SET check_status = ?, check_token = NULL WHERE id = ? AND check_status = 'pending';

-- name: feedback-image-count
SELECT COUNT(*) FROM feedback_images WHERE feedback_id = ?;

-- name: feedback-lock
-- The owner and state of a feedback, its row locked for the transaction
-- (feedback.mysql.sql adds FOR UPDATE; SQLite has one writer).
SELECT candidate_id, status, created_at FROM feedback WHERE id = ?;
