-- +goose Up
-- WeChat content security (issue 24). feedback.content_check is msgSecCheck's
-- verdict on the text: pass, review, or unchecked (the check was unavailable;
-- rows from before the check are unchecked too). A photo's check_status is
-- pending (mediaCheckAsync submitted, verdict not yet pushed), pass, review,
-- risky (hidden from staff) or unchecked; check_trace_id is WeChat's trace id
-- of the submitted check, and check_token the secret of the one URL WeChat
-- fetches the photo from while the check is pending.
ALTER TABLE feedback ADD COLUMN content_check TEXT NOT NULL DEFAULT 'unchecked';
ALTER TABLE feedback_images ADD COLUMN check_status TEXT NOT NULL DEFAULT 'unchecked';
ALTER TABLE feedback_images ADD COLUMN check_trace_id TEXT;
ALTER TABLE feedback_images ADD COLUMN check_token TEXT;
CREATE INDEX IF NOT EXISTS feedback_images_trace ON feedback_images (check_trace_id);
CREATE INDEX IF NOT EXISTS feedback_images_token ON feedback_images (check_token);
-- The note of a training intention, which institutions read: msgSecCheck's verdict.
ALTER TABLE training_intentions ADD COLUMN note_check TEXT NOT NULL DEFAULT 'unchecked';

-- +goose Down
ALTER TABLE training_intentions DROP COLUMN note_check;
DROP INDEX IF EXISTS feedback_images_token;
DROP INDEX IF EXISTS feedback_images_trace;
ALTER TABLE feedback_images DROP COLUMN check_token;
ALTER TABLE feedback_images DROP COLUMN check_trace_id;
ALTER TABLE feedback_images DROP COLUMN check_status;
ALTER TABLE feedback DROP COLUMN content_check;
