-- SQLite variants of registrations.sql.

-- name: registration-submit-many
-- registration-set-status-pinned for many registrations at once (a plan's
-- commit group of submits): each row of p pins one registration (its id and
-- version) and its candidate's identity as checked, and gives the ID number's
-- blind index and tail hash to write; the store repeats p's row. A
-- registration whose pin fails is left as it is: the caller compares the
-- count of rows changed. Each row also gives the registration's submit time
-- (in the group's order). Each registration is found by its rowid: the index
-- of the statuses would read every draft of every plan (NOT INDEXED keeps
-- rowid lookups; sqlite_filters_explain_test).
WITH p (id, version, candidate_id, idx, tail, birth_date, verify_state, name, id_type, gender, at) AS (VALUES
    (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?))
UPDATE registrations NOT INDEXED SET version = registrations.version + 1, status = ?, seat_held = ?, id_number_idx = p.idx,
    id_tail_idx = COALESCE(NULLIF(p.tail, ''), registrations.id_tail_idx), submitted_at = p.at, updated_at = p.at
FROM p JOIN candidates c ON c.id = p.candidate_id AND c.id_number_idx = p.idx AND c.birth_date = p.birth_date
    AND c.verify_state = p.verify_state AND c.name = p.name AND c.id_type = p.id_type AND c.gender = p.gender
WHERE registrations.id = p.id AND registrations.version = p.version AND registrations.status = ?;
