-- Cost per campaign and per delivered message, in USD (price plus carrier fee).
-- A message costs what its delivered/failed receipt bills, else the estimate on its queued/sent
-- event (a provider whose receipts carry no price), so no message is billed twice.
-- Runs unchanged on Athena and BigQuery once the views (views/*.sql) exist.
WITH messages AS (
  SELECT
    messageId,
    max(campaignId) AS campaignId,
    max(CASE WHEN kind = 'delivered' THEN 1 ELSE 0 END) AS delivered,
    max(CASE WHEN kind IN ('delivered', 'failed') THEN priceUsd + COALESCE(carrierFeeUsd, 0) END) AS billedUsd,
    max(CASE WHEN kind IN ('queued', 'sent') THEN priceUsd + COALESCE(carrierFeeUsd, 0) END) AS estimatedUsd
  FROM events
  WHERE kind IN ('queued', 'sent', 'delivered', 'failed') AND messageId IS NOT NULL
  GROUP BY messageId
)
SELECT
  campaignId AS campaign_id,
  count(*) AS messages,
  sum(delivered) AS delivered,
  round(sum(COALESCE(billedUsd, estimatedUsd, 0)), 4) AS cost_usd,
  round(sum(COALESCE(billedUsd, estimatedUsd, 0)) / nullif(sum(delivered), 0), 5) AS cost_per_delivered_usd
FROM messages
WHERE campaignId IS NOT NULL
GROUP BY campaignId
ORDER BY campaign_id;
