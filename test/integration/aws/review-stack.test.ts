/**
 * `smsctl review --outputs` on a deployed-style AWS stack: the review queue and every store an
 * accept reaches on DynamoDB Local, under names only the outputs give (the shared suite in
 * test/support/review-stack.ts); then the bad arguments, each one line and a non-zero exit.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { decide } from "../../../cli/commands/review";
import { FAKE_CREDENTIALS } from "../../../providers/aws/runtime/client-config";
import { DynamoDbConsentLog } from "../../../providers/aws/runtime/consent-log";
import { DynamoDbJourneyStore } from "../../../providers/aws/runtime/journey-store";
import { DynamoDbOptOutReviewStore } from "../../../providers/aws/runtime/opt-out-reviews";
import { DynamoDbOptOutStore } from "../../../providers/aws/runtime/opt-out-store";
import { connectAwsReview } from "../../../providers/aws/runtime/review-stack";
import { DynamoDbRevocationClockStore } from "../../../providers/aws/runtime/revocation-clocks";
import { DynamoDbSubscriberDirectory } from "../../../providers/aws/runtime/subscriber-directory";
import { javaAvailable } from "../../../providers/local/emulators";
import { ensureTables } from "../../../providers/local/emulators/provision";
import { once, uniqueName, useAwsEmulators } from "../../emulators/aws";
import { RecordingSender } from "../../support/recording-sender";
import { reviewStackSuite, reviewStoreNames, STOP_TEXT } from "../../support/review-stack";
import { runSmsctl } from "../../support/smsctl";

const hasJava = javaAvailable();
const fixture = useAwsEmulators({ dynamodb: hasJava });

/** Named as a deployment names them, so only the outputs lead the connector to them. */
const tables = once(async () => {
  const names = reviewStoreNames(uniqueName);
  await ensureTables(fixture.clients().dynamodb, names);
  return names;
});

/** As pipelineOutputs prints them (the tables a review does not touch named too). */
const outputsOf = (names: Record<string, string>) => ({
  cloud: "aws",
  region: "us-east-1",
  campaignsTable: names.campaigns,
  audienceBucket: "sms-audiences",
  audienceKeyArn: "arn:aws:kms:us-east-1:000000000000:key/stack-key",
  tickerFunction: "sms-ticker",
  enrollmentFunction: "sms-enrollment",
  revocationClocksTable: names.revocations,
  tables: { ...names, responses: "sms-responses", ledger: "sms-send-ledger", messages: "sms-message-log" },
  configurationSetName: "sms-config",
  replySender: { stopConfirmationText: STOP_TEXT, originationIdentity: "", configurationSet: "sms-config" },
});

const connectOptions = () => ({ endpoints: fixture.emulators().endpoints, credentials: FAKE_CREDENTIALS });

if (hasJava) {
  reviewStackSuite(
    "AWS (DynamoDB Local)",
    async () => {
      const names = await tables();
      const documents = fixture.clients().documents;
      return {
        outputs: outputsOf(names),
        connect: (outputs, sender) => connectAwsReview(outputs, { ...connectOptions(), sender }),
        stores: {
          optOutReviews: new DynamoDbOptOutReviewStore(documents, names.optOutReviews),
          optOuts: new DynamoDbOptOutStore(documents, names.optOuts),
          journeys: new DynamoDbJourneyStore(documents, names.journeys),
          subscribers: new DynamoDbSubscriberDirectory(documents, names.subscribers),
          consentLog: new DynamoDbConsentLog(documents, names.consentLog),
          revocations: new DynamoDbRevocationClockStore(documents, names.revocations),
        },
      };
    },
    { full: true },
  );
} else {
  describe("smsctl review --outputs: AWS (DynamoDB Local)", () => {
    it.skip("skipped: no Java for DynamoDB Local", () => {});
  });
}

describe("smsctl review --stack/--outputs: bad arguments", () => {
  const dir = mkdtempSync(join(tmpdir(), "smsctl-review-args-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(() => vi.restoreAllMocks());
  const outputsFile = (name: string, outputs: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(outputs));
    return path;
  };
  const names = {
    optOutReviews: "sms-opt-out-reviews",
    optOuts: "sms-opt-outs",
    journeys: "sms-journeys",
    subscribers: "sms-subscribers",
    campaigns: "sms-campaigns",
  };

  it.runIf(hasJava)(
    "refuses an unknown event id in one line naming the stack, exit 2, writing and sending nothing",
    async () => {
      const stackNames = await tables();
      const sender = new RecordingSender();
      const stderr: string[] = [];
      vi.spyOn(process.stderr, "write").mockImplementation((chunk) => stderr.push(String(chunk)) > 0);
      const exit = vi.spyOn(process, "exit").mockImplementation((code) => {
        throw new Error(`exit ${code}`);
      });
      await expect(
        decide(
          "evt-nobody",
          "accept",
          { outputs: outputsFile("unknown-id.json", outputsOf(stackNames)) },
          (outputs) => connectAwsReview(outputs, { ...connectOptions(), sender }),
        ),
      ).rejects.toThrow("exit 2");
      expect(exit).toHaveBeenCalledTimes(1);
      expect(stderr).toEqual([
        `smsctl: no review with event id "evt-nobody" in aws us-east-1 table ${stackNames.optOutReviews}. Run 'smsctl review list' with the same --stack/--outputs for the pending ones\n`,
      ]);
      expect(sender.requests).toEqual([]);
    },
    60_000,
  );

  it("names a missing output in one line, exit 2, nothing on stdout", async () => {
    const { replySender: _, ...withoutSender } = outputsOf(names);
    const run = await runSmsctl([
      "review",
      "accept",
      "evt-1",
      "--outputs",
      outputsFile("no-sender.json", withoutSender),
    ]);
    expect([run.code, run.stdout]).toEqual([2, ""]);
    expect(run.stderr).toBe(
      'smsctl: AWS stack outputs: "replySender" is missing or invalid (a non-empty name, or a URL for an endpoint); is this an AWS stack of sms-campaigns?\n',
    );
    const { optOutReviews: __, ...withoutQueue } = names;
    const list = await runSmsctl([
      "review",
      "list",
      "--outputs",
      outputsFile("no-queue.json", { ...outputsOf(names), tables: withoutQueue }),
    ]);
    expect([list.code, list.stdout]).toEqual([2, ""]);
    expect(list.stderr).toMatch(
      /^smsctl: AWS stack outputs: "tables\.optOutReviews" is missing or invalid[^\n]*\n$/,
    );
  }, 60_000);

  it("refuses --state with --outputs, --stack with --outputs, and an unknown cloud, one line each", async () => {
    const file = outputsFile("outputs.json", outputsOf(names));
    const mixed = await runSmsctl(["review", "reject", "evt-1", "--outputs", file, "--state", dir]);
    expect([mixed.code, mixed.stdout]).toEqual([2, ""]);
    expect(mixed.stderr).toMatch(/^smsctl: --state and --at are for the local form[^\n]*\n$/);
    const both = await runSmsctl(["review", "list", "--stack", "dev", "--outputs", file]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/^smsctl: pass exactly one of --stack NAME or --outputs FILE[^\n]*\n$/);
    const cloudless = await runSmsctl([
      "review",
      "list",
      "--outputs",
      outputsFile("cloudless.json", { ...outputsOf(names), cloud: "oci" }),
    ]);
    expect(cloudless.code).toBe(2);
    expect(cloudless.stderr).toMatch(
      /^smsctl: the stack outputs have no valid "cloud" \(got "oci"\)[^\n]*\n$/,
    );
  }, 60_000);
});
