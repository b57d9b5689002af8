-- Generated from core/events/archive-schema.ts by providers/azure/infra/writeArchiveView.ts;
-- do not edit (test/infra/archiveSchema.test.ts fails when this file and the schema differ).
-- events_raw for Synapse serverless SQL: every archived row, plus dt, the UTC date partition
-- (a string, the first wildcard of the path). Create the data source first, e.g.
--   CREATE EXTERNAL DATA SOURCE sms_archive
--     WITH (LOCATION = 'https://<account>.dfs.core.windows.net/<archive container>/');
-- then this view, then queries/views/events.sql (see queries/README.md for T-SQL's differences).
CREATE OR ALTER VIEW events_raw AS
SELECT
  r.*,
  CAST(r.filepath(1) AS VARCHAR(10)) AS dt
FROM OPENROWSET(
  BULK 'events/dt=*/*.parquet',
  DATA_SOURCE = 'sms_archive',
  FORMAT = 'PARQUET'
) WITH (
    eventId VARCHAR(8000) COLLATE Latin1_General_100_BIN2_UTF8, -- required
    schemaVersion INT, -- required
    kind VARCHAR(8000) COLLATE Latin1_General_100_BIN2_UTF8, -- required
    occurredAt DATETIME2(3), -- required
    provider VARCHAR(8000) COLLATE Latin1_General_100_BIN2_UTF8, -- required
    phoneNumber VARCHAR(8000) COLLATE Latin1_General_100_BIN2_UTF8,
    senderNumber VARCHAR(8000) COLLATE Latin1_General_100_BIN2_UTF8,
    subscriberId VARCHAR(8000) COLLATE Latin1_General_100_BIN2_UTF8,
    campaignId VARCHAR(8000) COLLATE Latin1_General_100_BIN2_UTF8,
    journeyId VARCHAR(8000) COLLATE Latin1_General_100_BIN2_UTF8,
    messageId VARCHAR(8000) COLLATE Latin1_General_100_BIN2_UTF8,
    inReplyTo VARCHAR(8000) COLLATE Latin1_General_100_BIN2_UTF8,
    status VARCHAR(8000) COLLATE Latin1_General_100_BIN2_UTF8,
    failureReason VARCHAR(8000) COLLATE Latin1_General_100_BIN2_UTF8,
    body VARCHAR(8000) COLLATE Latin1_General_100_BIN2_UTF8,
    keyword VARCHAR(8000) COLLATE Latin1_General_100_BIN2_UTF8,
    parts INT,
    priceUsd FLOAT,
    carrierFeeUsd FLOAT,
    countryCode VARCHAR(8000) COLLATE Latin1_General_100_BIN2_UTF8,
    messageType VARCHAR(8000) COLLATE Latin1_General_100_BIN2_UTF8
) AS r;
