-- +goose Up
-- The console's plan search (issue 26 item 2): the characters and the pairs
-- of adjacent characters of each plan's name and occupation, so that a search
-- for a text of two or more characters reads the plans holding its rarest
-- pair, not every plan (`name LIKE '%…%'` can use no index: 160–300 ms a page
-- at 100,000 plans). The LIKE stays the rule; the grams only find the plans
-- it is tried on. NOCASE folds ASCII case as SQLite's LIKE does. The store
-- writes a plan's grams with the plan (plan-grams-fill); this fills them for
-- the plans there are. text_positions numbers a text's characters (the
-- columns hold up to 200).
CREATE TABLE IF NOT EXISTS text_positions (i INTEGER PRIMARY KEY);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 255)
INSERT OR IGNORE INTO text_positions (i) SELECT i FROM n;
CREATE TABLE IF NOT EXISTS plan_grams (
    gram    TEXT    NOT NULL COLLATE NOCASE,
    plan_id INTEGER NOT NULL,
    PRIMARY KEY (gram, plan_id)
) WITHOUT ROWID;
INSERT OR IGNORE INTO plan_grams (gram, plan_id)
SELECT substr(t.s, n.i, w.k), t.id
FROM (SELECT id, plan_name AS s FROM plans UNION ALL SELECT id, occupation_name FROM plans) t
JOIN (SELECT 1 AS k UNION ALL SELECT 2) w
JOIN text_positions n ON n.i <= length(t.s) - w.k + 1
ORDER BY 1, 2;

-- +goose Down
DROP TABLE IF EXISTS plan_grams;
DROP TABLE IF EXISTS text_positions;
