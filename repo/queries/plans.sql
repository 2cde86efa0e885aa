-- Evaluation plans and institutions.

-- name: plan-get
SELECT * FROM plan_rows p
WHERE p.id = ?;

-- name: plan-get-by-no
SELECT * FROM plan_rows p
WHERE p.plan_no = ?;

-- name: plan-insert
INSERT INTO plans (plan_no, plan_name, institution_id, occupation_name, work_type, level,
    seats_total, seats_taken, city, district, address, reg_start, reg_deadline, eval_start,
    eval_end, contact_name, contact_phone, supervision_region, state, published_at,
    created_at, updated_at, activity_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);

-- name: plan-count
SELECT COUNT(*) FROM plans;

-- name: institution-insert
INSERT INTO institutions (name, contact_name, contact_phone, address, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?);

-- name: institution-get-by-name
SELECT id, name, contact_name, contact_phone, address, created_at, updated_at
FROM institutions WHERE name = ?;

-- name: institution-get
SELECT id, name, contact_name, contact_phone, address, created_at, updated_at
FROM institutions WHERE id = ?;

-- name: plan-max-id
-- The largest plan id (0 for none): a bulk insert writes the grams of the
-- plans above the one before it.
SELECT COALESCE(MAX(id), 0) FROM plans;
