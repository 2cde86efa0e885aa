-- Reviewing many registrations quickly (issue 15 point 9): the institution's
-- 待审核 inbox across its plans, and the uploaded item keys of a page of rows.

-- name: console-inbox-list
-- Registrations waiting for review (submitted) in the plans of one institution,
-- oldest submission first, with the plan's name.
SELECT r.id, r.plan_id, p.plan_no, p.plan_name, r.basis, r.education, r.employer_mismatch, r.submitted_at,
       c.name, c.id_type, c.id_number_enc
FROM registrations r
JOIN plans p ON p.id = r.plan_id
JOIN candidates c ON c.id = r.candidate_id
WHERE p.institution_id = ? AND r.status = 'submitted'
ORDER BY r.submitted_at, r.id
LIMIT ? OFFSET ?;

-- name: console-inbox-count
SELECT COUNT(*)
FROM registrations r JOIN plans p ON p.id = r.plan_id
WHERE p.institution_id = ? AND r.status = 'submitted';

-- name: console-attachment-keys
-- The checklist item of every attachment of some registrations.
SELECT registration_id, item_key FROM attachments WHERE registration_id IN (?) ORDER BY id;

-- name: console-plan-attachments
-- Every attachment of a plan's registrations (never drafts'), registration by
-- registration, with the candidate's name.
SELECT a.id, a.registration_id, a.item_key, a.file_name, a.content_type, a.size, a.blob_key, a.uploaded_at,
       c.name
FROM attachments a
JOIN registrations r ON r.id = a.registration_id
JOIN candidates c ON c.id = r.candidate_id
WHERE r.plan_id = ? AND r.status <> 'draft'
ORDER BY r.submitted_at, r.id, a.id;
