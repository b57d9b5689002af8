-- replies: every reply (received event) with its keyword and category and the send it answers.
-- The send: the one named by inReplyTo (End User Messaging's previousPublishedMessageId), else the
-- newest send to that number before the reply (Twilio and Azure name none). The reply's own
-- campaignId/journeyId win over the send's, as in the responses consumer (linkReply).
-- Keyword and category follow core/processing/classify.ts: a carrier keyword is the reply's first
-- word, or its first two for OPT OUT, case-insensitive, punctuation ignored. Accented letters are
-- not folded here (ARRÊT counts as free text), where the responses consumer folds them.
CREATE OR REPLACE VIEW replies AS
WITH sends AS (
  SELECT
    messageId,
    max(phoneNumber) AS phoneNumber,
    max(campaignId) AS campaignId,
    max(journeyId) AS journeyId,
    min(occurredAt) AS sentAt
  FROM events
  WHERE kind IN ('queued', 'sent') AND messageId IS NOT NULL
  GROUP BY messageId
),
linked AS (
  SELECT
    r.eventId,
    r.dt,
    r.occurredAt AS repliedAt,
    r.phoneNumber,
    r.body,
    COALESCE(r.campaignId, s.campaignId) AS campaignId,
    COALESCE(r.journeyId, s.journeyId) AS journeyId,
    s.messageId AS repliedTo,
    s.sentAt,
    regexp_extract(upper(r.body), '^[^A-Z0-9]*([A-Z0-9]+)', 1) AS firstWord,
    regexp_extract(upper(r.body), '^[^A-Z0-9]*[A-Z0-9]+[^A-Z0-9]+([A-Z0-9]+)', 1) AS secondWord,
    row_number() OVER (
      PARTITION BY r.eventId
      ORDER BY CASE WHEN s.messageId = r.inReplyTo THEN 0 ELSE 1 END, s.sentAt DESC
    ) AS candidate
  FROM events AS r
  LEFT JOIN sends AS s
    ON s.messageId = r.inReplyTo OR (s.phoneNumber = r.phoneNumber AND s.sentAt <= r.occurredAt)
  WHERE r.kind = 'received'
),
classified AS (
  SELECT
    *,
    CASE
      WHEN firstWord = 'OPT' AND secondWord = 'OUT' THEN 'stop'
      WHEN firstWord IN ('STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT',
        'ARRET', 'TD', 'REMOVE') THEN 'stop'
      WHEN firstWord IN ('HELP', 'INFO') THEN 'help'
      WHEN firstWord IN ('START', 'UNSTOP') THEN 'start'
      WHEN firstWord IN ('YES', 'Y') THEN 'yes'
      WHEN firstWord IN ('NO', 'N') THEN 'no'
      ELSE 'free_text'
    END AS category
  FROM linked
  WHERE candidate = 1
)
SELECT
  eventId, dt, repliedAt, phoneNumber, body, campaignId, journeyId, repliedTo, sentAt, category,
  CASE
    WHEN category = 'free_text' THEN NULL
    WHEN firstWord = 'OPT' AND secondWord = 'OUT' THEN 'OPT OUT'
    ELSE firstWord
  END AS keyword
FROM classified;
