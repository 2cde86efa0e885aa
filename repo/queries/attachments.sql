-- Attachments (附件) of registrations. The bytes live in the blob store under
-- blob_key (the SHA-256 of the content); a blob is shared by every row with its key.

-- name: attachment-insert
INSERT INTO attachments (registration_id, item_key, file_name, content_type, size, blob_key, uploaded_at)
VALUES (?, ?, ?, ?, ?, ?, ?);

-- name: attachment-list
SELECT id, registration_id, item_key, file_name, content_type, size, blob_key, uploaded_at
FROM attachments WHERE registration_id = ?
ORDER BY id;

-- name: attachment-get
SELECT id, registration_id, item_key, file_name, content_type, size, blob_key, uploaded_at
FROM attachments WHERE id = ? AND registration_id = ?;

-- name: attachment-delete
DELETE FROM attachments WHERE id = ? AND registration_id = ?;

-- name: attachment-count
SELECT COUNT(*) FROM attachments WHERE registration_id = ?;

-- name: attachment-blob-refs
-- Blobs are shared with the photos of supervision feedback (feedback_images).
SELECT (SELECT COUNT(*) FROM attachments WHERE blob_key = ?)
     + (SELECT COUNT(*) FROM feedback_images WHERE blob_key = ?);

-- name: attachment-candidate-bytes
-- Bytes of every attachment of one candidate, over all registrations.
SELECT COALESCE(SUM(a.size), 0) FROM attachments a
JOIN registrations r ON r.id = a.registration_id
WHERE r.candidate_id = ?;
