-- events: the archive with one row per eventId.
-- The archive is at-least-once: a redelivered record is archived again in another batch's file
-- (in a 500-subscriber run, 51 received rows held 50 event ids). The raw rows stay in events_raw.
-- Copies of one event are the same event; the kept one is the most complete (a receipt archived
-- before its message was logged may lack the number or the campaign).
-- Columns: the canonical fields (core/events/schema.ts SMS_EVENT_FIELDS, camelCase in the Parquet;
-- Glue declares them lower-case, and every engine matches names case-insensitively) plus dt, the
-- UTC date partition (a string, as the Glue table declares it).
CREATE OR REPLACE VIEW events AS
SELECT
  eventId, schemaVersion, kind, occurredAt, provider, phoneNumber, senderNumber, subscriberId,
  campaignId, journeyId, messageId, inReplyTo, status, failureReason, body, keyword, parts,
  priceUsd, carrierFeeUsd, countryCode, messageType, dt
FROM (
  SELECT
    *,
    row_number() OVER (
      PARTITION BY eventId
      ORDER BY
        CASE WHEN phoneNumber IS NULL THEN 1 ELSE 0 END,
        CASE WHEN campaignId IS NULL THEN 1 ELSE 0 END
    ) AS copy
  FROM events_raw
) AS numbered
WHERE copy = 1;
