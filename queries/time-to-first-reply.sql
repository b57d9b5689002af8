-- Time from send to first reply, per campaign: for each send that got a reply, the seconds until
-- its first reply (millisecond precision).
-- Athena: approx_percentile(seconds, 0.5) for median(seconds).
-- BigQuery: TIMESTAMP_DIFF(firstReplyAt, sentAt, MILLISECOND) for date_diff('millisecond', ...), and
--   APPROX_QUANTILES(seconds, 2)[OFFSET(1)] for median(seconds).
WITH first_replies AS (
  SELECT campaignId, repliedTo, min(sentAt) AS sentAt, min(repliedAt) AS firstReplyAt
  FROM replies
  WHERE campaignId IS NOT NULL AND repliedTo IS NOT NULL
  GROUP BY campaignId, repliedTo
),
waits AS (
  SELECT campaignId, date_diff('millisecond', sentAt, firstReplyAt) / 1000.0 AS seconds
  FROM first_replies
)
SELECT
  campaignId AS campaign_id,
  count(*) AS replied_sends,
  round(avg(seconds), 1) AS avg_seconds,
  median(seconds) AS median_seconds,
  min(seconds) AS min_seconds,
  max(seconds) AS max_seconds
FROM waits
GROUP BY campaignId
ORDER BY campaign_id;
