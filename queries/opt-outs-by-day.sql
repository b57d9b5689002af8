-- Opt-outs by day (UTC): numbers that opted out that day, by a STOP-family reply or by the
-- carrier's opted_out receipt; a number doing both counts once.
-- Runs unchanged on Athena and BigQuery once the views (views/*.sql) exist.
WITH opt_outs AS (
  SELECT dt, phoneNumber AS number, 'reply' AS via
  FROM replies
  WHERE category = 'stop'
  UNION ALL
  SELECT dt, COALESCE(phoneNumber, messageId, eventId) AS number, 'carrier' AS via
  FROM events
  WHERE kind = 'opted_out'
)
SELECT
  dt AS day,
  count(DISTINCT number) AS opt_outs,
  sum(CASE WHEN via = 'reply' THEN 1 ELSE 0 END) AS stop_replies,
  sum(CASE WHEN via = 'carrier' THEN 1 ELSE 0 END) AS carrier_opt_outs
FROM opt_outs
GROUP BY dt
ORDER BY day;
