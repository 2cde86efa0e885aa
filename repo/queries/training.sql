-- Training intentions (培训意向登记, issue 9) and the cities of institutions,
-- which decide whose intentions an institution sees.

-- name: training-insert
INSERT INTO training_intentions (candidate_id, occupation, level, city, preferred_time, phone_enc, note,
    contact_consent, consent_at, created_at, updated_at, note_check)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);

-- name: training-get
SELECT id, candidate_id, occupation, level, city, preferred_time, phone_enc, note, contact_consent,
       consent_at, created_at, updated_at, note_check
FROM training_intentions WHERE id = ?;

-- name: training-list-by-candidate
SELECT id, candidate_id, occupation, level, city, preferred_time, phone_enc, note, contact_consent,
       consent_at, created_at, updated_at, note_check
FROM training_intentions WHERE candidate_id = ?
ORDER BY id DESC;

-- name: training-count-by-candidate
SELECT COUNT(*) FROM training_intentions WHERE candidate_id = ?;

-- name: training-delete
DELETE FROM training_intentions WHERE id = ? AND candidate_id = ?;

-- name: training-counts
-- Counts by city, occupation and level; a city of '' means every city.
SELECT city, occupation, level, COUNT(*) AS total, SUM(contact_consent) AS consented
FROM training_intentions
WHERE (? = '' OR city = ?)
GROUP BY city, occupation, level
ORDER BY city, total DESC, occupation, level;

-- name: training-contacts
-- The intentions of one city whose candidates agreed to be contacted, newest first.
SELECT t.id, t.candidate_id, t.occupation, t.level, t.city, t.preferred_time, t.phone_enc, t.note,
       t.contact_consent, t.consent_at, t.created_at, t.updated_at, t.note_check, c.name AS name
FROM training_intentions t JOIN candidates c ON c.id = t.candidate_id
WHERE t.city = ? AND t.contact_consent = 1 AND (? = '' OR t.occupation = ?) AND (? = 0 OR t.level = ?)
ORDER BY t.id DESC
LIMIT ? OFFSET ?;

-- name: training-contacts-export
-- training-contacts without a page: every matching intention, newest first,
-- for a streamed export.
SELECT t.id, t.candidate_id, t.occupation, t.level, t.city, t.preferred_time, t.phone_enc, t.note,
       t.contact_consent, t.consent_at, t.created_at, t.updated_at, t.note_check, c.name AS name
FROM training_intentions t JOIN candidates c ON c.id = t.candidate_id
WHERE t.city = ? AND t.contact_consent = 1 AND (? = '' OR t.occupation = ?) AND (? = 0 OR t.level = ?)
ORDER BY t.id DESC;

-- name: training-contacts-count
SELECT COUNT(*) FROM training_intentions t
WHERE t.city = ? AND t.contact_consent = 1 AND (? = '' OR t.occupation = ?) AND (? = 0 OR t.level = ?);

-- name: institution-city-get
SELECT city FROM institution_cities WHERE institution_id = ?;

-- name: institution-city-delete
DELETE FROM institution_cities WHERE institution_id = ?;

-- name: institution-city-insert
INSERT INTO institution_cities (institution_id, city, updated_at) VALUES (?, ?, ?);

-- name: institution-city-list
SELECT i.id, i.name, COALESCE(ic.city, '') AS city
FROM institutions i LEFT JOIN institution_cities ic ON ic.institution_id = i.id
ORDER BY i.id
LIMIT ? OFFSET ?;

-- name: training-set-consent
-- Give or withdraw the consent to be contacted; consent_at is when it was given.
UPDATE training_intentions SET contact_consent = ?, consent_at = ?, updated_at = ?
WHERE id = ? AND candidate_id = ?;
