-- +goose Up
-- WeChat content security (issue 24); see the SQLite migration for the values.
ALTER TABLE feedback ADD COLUMN content_check VARCHAR(16) NOT NULL DEFAULT 'unchecked';
ALTER TABLE feedback_images
    ADD COLUMN check_status VARCHAR(16) NOT NULL DEFAULT 'unchecked',
    ADD COLUMN check_trace_id VARCHAR(128) NULL,
    ADD COLUMN check_token CHAR(64) NULL,
    ADD INDEX feedback_images_trace (check_trace_id),
    ADD INDEX feedback_images_token (check_token);
ALTER TABLE training_intentions ADD COLUMN note_check VARCHAR(16) NOT NULL DEFAULT 'unchecked';

-- +goose Down
ALTER TABLE training_intentions DROP COLUMN note_check;
ALTER TABLE feedback_images
    DROP INDEX feedback_images_token,
    DROP INDEX feedback_images_trace,
    DROP COLUMN check_token,
    DROP COLUMN check_trace_id,
    DROP COLUMN check_status;
ALTER TABLE feedback DROP COLUMN content_check;
