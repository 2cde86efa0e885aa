-- +goose Up
-- A feedback with its plan, institution, sender and replier (issue 13): the one
-- column list and joins the feedback queries read, instead of three copies.
-- The photo counts stay in the queries (they differ in what they count).
CREATE VIEW feedback_rows AS
SELECT f.id, f.candidate_id, f.plan_id, f.registration_id, f.category, f.content, f.contact_pref,
       f.contact_phone_enc, f.anonymous, f.status, f.reply, f.replied_at, f.replied_by,
       f.created_at, f.updated_at, f.content_check,
       p.plan_no, p.plan_name, p.occupation_name, p.level, p.supervision_region,
       i.name AS institution_name, c.name AS sender_name,
       COALESCE(s.username, '') AS replier_name
FROM feedback f
JOIN plans p ON p.id = f.plan_id
JOIN institutions i ON i.id = p.institution_id
JOIN candidates c ON c.id = f.candidate_id
LEFT JOIN staff_users s ON s.id = f.replied_by;

-- +goose Down
DROP VIEW IF EXISTS feedback_rows;
