-- Evaluation plans and institutions.

-- name: plan-changed-since
-- Every plan touched at or after a time, for the in-memory read model. Ties on
-- updated_at are re-read, which is harmless.
SELECT p.id, p.plan_no, p.plan_name, p.institution_id, i.name AS institution_name,
       p.occupation_name, p.work_type, p.level, p.seats_total, p.seats_taken,
       p.city, p.district, p.address, p.reg_start, p.reg_deadline, p.eval_start, p.eval_end,
       p.contact_name, p.contact_phone, p.supervision_region, p.state, p.published_at,
       p.created_at, p.updated_at
FROM plans p JOIN institutions i ON i.id = p.institution_id
WHERE p.updated_at >= ?
ORDER BY p.updated_at, p.id;

-- name: plan-get
SELECT p.id, p.plan_no, p.plan_name, p.institution_id, i.name AS institution_name,
       p.occupation_name, p.work_type, p.level, p.seats_total, p.seats_taken,
       p.city, p.district, p.address, p.reg_start, p.reg_deadline, p.eval_start, p.eval_end,
       p.contact_name, p.contact_phone, p.supervision_region, p.state, p.published_at,
       p.created_at, p.updated_at
FROM plans p JOIN institutions i ON i.id = p.institution_id
WHERE p.id = ?;

-- name: plan-get-by-no
SELECT p.id, p.plan_no, p.plan_name, p.institution_id, i.name AS institution_name,
       p.occupation_name, p.work_type, p.level, p.seats_total, p.seats_taken,
       p.city, p.district, p.address, p.reg_start, p.reg_deadline, p.eval_start, p.eval_end,
       p.contact_name, p.contact_phone, p.supervision_region, p.state, p.published_at,
       p.created_at, p.updated_at
FROM plans p JOIN institutions i ON i.id = p.institution_id
WHERE p.plan_no = ?;

-- name: plan-insert
INSERT INTO plans (plan_no, plan_name, institution_id, occupation_name, work_type, level,
    seats_total, seats_taken, city, district, address, reg_start, reg_deadline, eval_start,
    eval_end, contact_name, contact_phone, supervision_region, state, published_at,
    created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);

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
