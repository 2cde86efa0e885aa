-- MySQL variants of feedback.sql.

-- name: feedback-lock
SELECT candidate_id, status, created_at FROM feedback WHERE id = ? FOR UPDATE;

-- name: plan-region-lock
SELECT supervision_region FROM plans WHERE id = ? FOR UPDATE;
