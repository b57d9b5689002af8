-- Response rate by campaign: people who replied (any reply, STOP included) per delivered message,
-- the local run report's definition. A reply counts for the campaign of the send it answers.
-- Runs unchanged on Athena and BigQuery once the views (views/*.sql) exist.
WITH delivered AS (
  SELECT campaignId, count(DISTINCT COALESCE(messageId, eventId)) AS delivered
  FROM events
  WHERE kind = 'delivered' AND campaignId IS NOT NULL
  GROUP BY campaignId
),
responded AS (
  SELECT campaignId, count(DISTINCT phoneNumber) AS repliers, count(*) AS replies
  FROM replies
  WHERE campaignId IS NOT NULL
  GROUP BY campaignId
)
SELECT
  d.campaignId AS campaign_id,
  d.delivered,
  COALESCE(r.replies, 0) AS replies,
  COALESCE(r.repliers, 0) AS repliers,
  round(100.0 * COALESCE(r.repliers, 0) / d.delivered, 1) AS response_rate_pct
FROM delivered AS d
LEFT JOIN responded AS r ON r.campaignId = d.campaignId
ORDER BY campaign_id;
