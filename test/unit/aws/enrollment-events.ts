import { randomUUID } from "node:crypto";
import type { S3Event, SQSEvent } from "aws-lambda";

/** An S3 ObjectCreated:Put notification as Lambda receives it (key URL-encoded, spaces as "+"). */
export const s3PutEvent = (bucket: string, key: string): S3Event => ({
  Records: [
    {
      eventVersion: "2.1",
      eventSource: "aws:s3",
      awsRegion: "us-east-1",
      eventTime: "2026-12-03T10:00:00.000Z",
      eventName: "ObjectCreated:Put",
      userIdentity: { principalId: "AWS:AIDAEXAMPLE" },
      requestParameters: { sourceIPAddress: "203.0.113.9" },
      responseElements: {
        "x-amz-request-id": "C3D13FE58DE4C810",
        "x-amz-id-2": "FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD",
      },
      s3: {
        s3SchemaVersion: "1.0",
        configurationId: "audience-upload",
        bucket: {
          name: bucket,
          ownerIdentity: { principalId: "A3NL1KOZZKExample" },
          arn: `arn:aws:s3:::${bucket}`,
        },
        object: {
          key: encodeURIComponent(key).replace(/%2F/g, "/").replace(/%20/g, "+"),
          size: 1024,
          eTag: "d41d8cd98f00b204e9800998ecf8427e",
          sequencer: "0055AED6DCD90281E5",
        },
      },
    },
  ],
});

/** One SQS message as the event source mapping delivers it (batch size 1). */
export const sqsEvent = (body: string, queueArn = "arn:aws:sqs:us-east-1:123456789012:chunks"): SQSEvent => ({
  Records: [
    {
      messageId: randomUUID(),
      receiptHandle: "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a",
      body,
      attributes: {
        ApproximateReceiveCount: "1",
        SentTimestamp: "1764756000000",
        SenderId: "AIDAIENQZJOLO23YVJ4VO",
        ApproximateFirstReceiveTimestamp: "1764756000001",
      },
      messageAttributes: {},
      md5OfBody: "e4e68fb7bd0e697a0ae8f1bb342846b3",
      eventSource: "aws:sqs",
      eventSourceARN: queueArn,
      awsRegion: "us-east-1",
    },
  ],
});
