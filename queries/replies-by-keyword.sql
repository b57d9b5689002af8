-- Replies by keyword: the carrier keyword each reply starts with (STOP, YES, HELP, ...) and its
-- category, free text grouped as one row.
-- Runs unchanged on Athena and BigQuery once the views (views/*.sql) exist.
SELECT
  COALESCE(keyword, '(free text)') AS keyword,
  category,
  count(*) AS replies,
  count(DISTINCT phoneNumber) AS repliers
FROM replies
GROUP BY COALESCE(keyword, '(free text)'), category
ORDER BY replies DESC, keyword;
