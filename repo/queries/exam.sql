-- Exam arrangements, seats, admission tickets and check-in (issue 18).

-- name: exam-session-insert
INSERT INTO exam_sessions (plan_id, subject, exam_date, start_time, end_time, venue, room, seats, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?);

-- name: exam-sessions-of-plan
-- In sitting order; assigned counts the seats taken.
SELECT s.id, s.plan_id, s.subject, s.exam_date, s.start_time, s.end_time, s.venue, s.room, s.seats,
       (SELECT COUNT(*) FROM exam_seats x WHERE x.session_id = s.id) AS assigned
FROM exam_sessions s
WHERE s.plan_id = ?
ORDER BY s.exam_date, s.start_time, s.subject, s.id;

-- name: exam-session-delete
DELETE FROM exam_sessions WHERE id = ? AND plan_id = ?
  AND NOT EXISTS (SELECT 1 FROM exam_seats x WHERE x.session_id = ?);

-- name: exam-arrangement-get
SELECT plan_id, published_at, updated_at FROM exam_arrangements WHERE plan_id = ?;

-- name: exam-arrangement-insert
INSERT INTO exam_arrangements (plan_id, updated_at) VALUES (?, ?);

-- name: exam-arrangement-publish
UPDATE exam_arrangements SET published_at = ?, published_by = ?, updated_at = ? WHERE plan_id = ?;

-- name: exam-arrangement-touch
UPDATE exam_arrangements SET updated_at = ? WHERE plan_id = ?;

-- name: exam-tickets-of-plan
SELECT registration_id, plan_id, ticket_no, revision, notified_revision
FROM exam_tickets WHERE plan_id = ?;

-- name: exam-ticket-insert
-- One row; the store repeats the VALUES tuple to insert many at once.
INSERT INTO exam_tickets (registration_id, plan_id, ticket_no, revision, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?);

-- name: exam-ticket-bump
UPDATE exam_tickets SET revision = revision + 1, updated_at = ? WHERE registration_id = ?;

-- name: exam-ticket-delete
DELETE FROM exam_tickets WHERE registration_id = ?;

-- name: exam-ticket-of-registration
SELECT t.registration_id, t.plan_id, t.ticket_no, t.revision, t.notified_revision
FROM exam_tickets t WHERE t.registration_id = ?;

-- name: exam-ticket-by-no
SELECT t.registration_id, t.plan_id, t.ticket_no, t.revision, t.notified_revision
FROM exam_tickets t WHERE t.plan_id = ? AND t.ticket_no = ?;

-- name: exam-tickets-to-notify
SELECT t.registration_id, t.plan_id, t.ticket_no, t.revision, t.notified_revision, r.candidate_id
FROM exam_tickets t JOIN registrations r ON r.id = t.registration_id
WHERE t.plan_id = ? AND t.revision > t.notified_revision AND r.status = 'approved';

-- name: exam-tickets-mark-notified
UPDATE exam_tickets SET notified_revision = revision WHERE plan_id = ? AND revision > notified_revision;

-- name: exam-seats-of-plan
SELECT registration_id, subject, session_id, seat_no FROM exam_seats WHERE plan_id = ?;

-- name: exam-seats-delete-plan
DELETE FROM exam_seats WHERE plan_id = ?;

-- name: exam-seats-delete-registration
DELETE FROM exam_seats WHERE registration_id = ?;

-- name: exam-seat-delete
DELETE FROM exam_seats WHERE registration_id = ? AND subject = ?;

-- name: exam-seat-insert
-- One row; the store repeats the VALUES tuple to insert many at once.
INSERT INTO exam_seats (registration_id, plan_id, subject, session_id, seat_no) VALUES (?, ?, ?, ?, ?);

-- name: exam-seats-of-registration
SELECT x.registration_id, x.subject, x.session_id, x.seat_no, s.exam_date, s.start_time, s.end_time,
       s.venue, s.room
FROM exam_seats x JOIN exam_sessions s ON s.id = x.session_id
WHERE x.registration_id = ?
ORDER BY s.exam_date, s.start_time, s.id;

-- name: exam-session-roster
-- A session's seats with who sits there and when they arrived.
SELECT x.registration_id, x.seat_no, r.status, c.name, c.id_number_enc, t.ticket_no, k.arrived_at
FROM exam_seats x
JOIN registrations r ON r.id = x.registration_id
JOIN candidates c ON c.id = r.candidate_id
LEFT JOIN exam_tickets t ON t.registration_id = x.registration_id
LEFT JOIN exam_checkins k ON k.session_id = x.session_id AND k.registration_id = x.registration_id
WHERE x.session_id = ?
ORDER BY x.seat_no;

-- name: exam-checkin-insert
INSERT INTO exam_checkins (session_id, registration_id, arrived_at, checked_by) VALUES (?, ?, ?, ?);

-- name: exam-checkin-get
SELECT arrived_at FROM exam_checkins WHERE session_id = ? AND registration_id = ?;

-- name: exam-absent-of-plan
-- Seats of approved registrations without an arrival, with the session's end.
SELECT x.registration_id, x.subject, s.exam_date, s.end_time
FROM exam_seats x
JOIN exam_sessions s ON s.id = x.session_id
JOIN registrations r ON r.id = x.registration_id
LEFT JOIN exam_checkins k ON k.session_id = x.session_id AND k.registration_id = x.registration_id
WHERE x.plan_id = ? AND r.status = 'approved' AND k.registration_id IS NULL;
