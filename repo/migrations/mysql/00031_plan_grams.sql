-- +goose Up
-- The console's plan search (issue 26 item 2): the characters and the pairs
-- of adjacent characters of each plan's name and occupation, so that a search
-- reads the plans holding its rarest gram, not every plan (`name LIKE '%…%'`
-- can use no index: 110–250 ms a page at 100,000 plans). The LIKE stays the
-- rule; the grams only find the plans it is tried on. utf8mb4_bin compares as
-- the plans' columns do. The store writes a plan's grams with the plan
-- (plan-grams-fill); this fills them for the plans there are (about a
-- minute for 100,000 plans on a 2-core machine). text_positions numbers a
-- text's characters (the columns hold up to 200).
CREATE TABLE IF NOT EXISTS text_positions (i INT NOT NULL PRIMARY KEY) ENGINE=InnoDB;
INSERT IGNORE INTO text_positions (i)
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 255) SELECT i FROM n;
CREATE TABLE IF NOT EXISTS plan_grams (
    gram    VARCHAR(2) NOT NULL,
    plan_id BIGINT     NOT NULL,
    PRIMARY KEY (gram, plan_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
INSERT IGNORE INTO plan_grams (gram, plan_id)
SELECT SUBSTRING(t.s, n.i, w.k), t.id
FROM (SELECT id, plan_name AS s FROM plans UNION ALL SELECT id, occupation_name FROM plans) t
JOIN (SELECT 1 AS k UNION ALL SELECT 2) w
JOIN text_positions n ON n.i <= CHAR_LENGTH(t.s) - w.k + 1;

-- +goose Down
DROP TABLE IF EXISTS plan_grams;
DROP TABLE IF EXISTS text_positions;
