/**
 * What the campaign functions may do in the stack's stores: exactly the item actions their
 * adapters call, on the exact tables (and indexes only where they query one).
 */
import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { TableId } from "../runtime/tables";
import { allow, type Statement } from "./iam";

type Tables = Record<TableId, aws.dynamodb.Table>;

const withIndexes = (table: aws.dynamodb.Table) => [table.arn, pulumi.interpolate`${table.arn}/index/*`];

/**
 * The ticker: due journeys (the `by_wake` index) and their writes, the subscriber, opt-out and
 * review-hold reads before each send, the ledger claim and settle, the campaigns list and its counters, the
 * `queued` events into the stream, and the send itself.
 */
export const tickerPermissions = (
  tables: Tables,
  streamArn: pulumi.Input<string>,
  sendText: Statement,
): Statement[] => [
  allow(["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"], withIndexes(tables.journeys)),
  allow(["dynamodb:GetItem"], [tables.subscribers.arn, tables.optOuts.arn, tables.optOutReviews.arn]),
  allow(["dynamodb:GetItem", "dynamodb:PutItem"], [tables.ledger.arn]),
  allow(["dynamodb:Scan", "dynamodb:UpdateItem"], [tables.campaigns.arn]),
  allow(["kinesis:PutRecords"], [streamArn]),
  sendText,
  ...revocationMonitorPermissions(tables),
];

/**
 * The revocation SLA monitor the ticker runs: the open clocks (their index) and their verdicts,
 * and reads of what it checks: the messages sent to a number and a number's subscriber (their
 * `by_phone` indexes), its journeys (`by_subscriber`, granted above), and its consent evidence.
 */
export const revocationMonitorPermissions = (tables: Tables): Statement[] => [
  allow(["dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:Query"], withIndexes(tables.revocations)),
  allow(
    ["dynamodb:Query"],
    [
      pulumi.interpolate`${tables.messages.arn}/index/*`,
      pulumi.interpolate`${tables.subscribers.arn}/index/*`,
      tables.consentLog.arn,
    ],
  ),
];

/**
 * Enrollment: the campaign record (read, marked enrolled) and its counters, the journey states it
 * creates (after reading whether they exist), and the subscribers it writes. It sends nothing.
 */
export const enrollmentPermissions = (tables: Tables): Statement[] => [
  allow(["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"], [tables.campaigns.arn]),
  allow(["dynamodb:GetItem", "dynamodb:PutItem"], [tables.journeys.arn]),
  allow(["dynamodb:PutItem"], [tables.subscribers.arn]),
  // Erasure tombstones (opt-outs table, erased#<hash>): an erased number is not enrolled again.
  allow(["dynamodb:GetItem"], [tables.optOuts.arn]),
];
