-- MariaDB variants of console_plans.sql.

-- name: console-plan-pending-count-capped
-- How many plans with a registration awaiting review match the filters of
-- console-plan-count-capped but the phase, counting no further than the cap.
-- STRAIGHT_JOIN keeps MariaDB starting from the distinct plan ids of the
-- registrations awaiting review (few) and looking each plan up: left to
-- itself, with an institution or region filter it read all that filter's
-- plans and probed the ids for each (TestStaffListsPlanWithoutSort).
SELECT COUNT(*) FROM (
    SELECT STRAIGHT_JOIN p.id FROM (
        SELECT DISTINCT s.plan_id FROM registrations s WHERE s.status = 'submitted'
    ) g
    JOIN plans p ON p.id = g.plan_id
    WHERE (? = 0 OR p.institution_id = ?) AND (? = '' OR p.supervision_region = ?)
      AND (? = '' OR p.state = ?)
      AND (? = '' OR p.plan_no = ? OR p.plan_name LIKE ? OR p.occupation_name LIKE ?)
    LIMIT ?
) t;
