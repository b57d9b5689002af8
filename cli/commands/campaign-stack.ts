/**
 * `smsctl campaign launch|status|pause|resume|cancel`: campaigns that run inside a deployed stack.
 * `launch` writes the campaign record and uploads the audience under the stack's campaign prefix,
 * then returns; the stack's enrollment function enrolls it in chunks and its ticker sends, inside
 * the stack's MPS, opt-outs and ledger. Each command prints ONE JSON object to stdout.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { readAudienceCsv } from "../../core/campaign";
import {
  type CampaignAction,
  controlCampaign,
  messageJourney,
  newCampaignRecord,
} from "../../core/campaign/campaign";
import { type CampaignStatusView, campaignStatusView } from "../../core/campaign/campaign-counters";
import type { Journey } from "../../core/campaign/journey";
import type { CampaignStack } from "../../core/ports";
import { journeysById } from "../../journeys";
import { fail, requireFile } from "../args";
import { issueReporter, orFail, requireKnownPlaceholders } from "../audience-checks";
import { connectStack, type StackOptions, stackOutputs, withStackOptions } from "../stack";

export interface LaunchOptions extends StackOptions {
  subscribers: string;
  journey?: string;
  message?: string;
  template?: string;
  campaignId?: string;
  messageType: string;
}

export interface LaunchResult {
  campaignId: string;
  journey: string;
  stack: string;
  audienceKey: string;
  members: number;
  badRows: number;
  /** True when this campaign was launched before with the same journey: the audience is uploaded again, which enrolls nobody twice. */
  relaunched: boolean;
}

/** The journey a launch runs: a named one from journeys/, or a one-step message. */
async function sourceJourneyOf(options: LaunchOptions): Promise<Journey> {
  const given = [options.journey, options.message, options.template].filter((o) => o !== undefined);
  if (given.length !== 1) fail("pass exactly one of --journey ID, --message TEXT or --template FILE");
  if (options.journey !== undefined) {
    const found = journeysById.get(options.journey);
    if (!found)
      fail(`unknown journey "${options.journey}"; use one of ${[...journeysById.keys()].join(", ")}`);
    return found;
  }
  if (options.messageType !== "transactional" && options.messageType !== "promotional") {
    fail(`--message-type must be transactional or promotional, got "${options.messageType}"`);
  }
  const text =
    options.message ?? (await readFile(await requireFile(options.template!, "template"), "utf8")).trimEnd();
  if (text.trim() === "") fail("the message is empty");
  return messageJourney(text, options.messageType);
}

/** Stable for the same audience and journey, so re-running a launch finds its own campaign. */
async function defaultCampaignId(source: Journey, audience: Uint8Array, now: Date): Promise<string> {
  const digest = createHash("sha256").update(JSON.stringify(source.steps)).update(audience).digest("hex");
  return `${source.name}-${now.toISOString().slice(0, 10).replaceAll("-", "")}-${digest.slice(0, 8)}`;
}

/** Reads the audience here first, so bad rows are reported before anything reaches the stack. */
async function checkAudience(path: string, source: Journey) {
  for (const step of source.steps)
    if (step.type === "send") await requireKnownPlaceholders(step.template, path);
  const issues = issueReporter(path);
  let members = 0;
  let badRows = 0;
  const count = async () => {
    for await (const row of readAudienceCsv(createReadStream(path))) {
      if (row.kind === "member") members++;
      else {
        badRows++;
        issues.report(row);
      }
    }
  };
  await orFail(count());
  issues.finish();
  if (members === 0) fail(`${path} has no subscriber to enroll`);
  return { members, badRows };
}

export async function launchCampaign(
  stack: CampaignStack,
  options: LaunchOptions,
  now: Date,
): Promise<LaunchResult> {
  const path = await requireFile(options.subscribers, "subscribers file");
  const source = await sourceJourneyOf(options);
  const { members, badRows } = await checkAudience(path, source);
  const audience = await readFile(path);
  const campaignId = options.campaignId ?? (await defaultCampaignId(source, audience, now));
  const record = newCampaignRecord(campaignId, source, now);
  let relaunched = false;
  if (!(await stack.campaigns.put(record, 0))) {
    const existing = await stack.campaigns.get(campaignId);
    if (!existing || JSON.stringify(existing.steps) !== JSON.stringify(record.steps)) {
      fail(
        `campaign ${campaignId} already exists in this stack with another journey. Pick another --campaign-id`,
      );
    }
    if (existing.status === "cancelled")
      fail(`campaign ${campaignId} is cancelled. Pick another --campaign-id`);
    relaunched = true;
  }
  await stack.uploadAudience(record.audienceKey, audience);
  return {
    campaignId,
    journey: source.name,
    stack: stack.describe(),
    audienceKey: record.audienceKey,
    members,
    badRows,
    relaunched,
  };
}

export async function campaignStatus(stack: CampaignStack, campaignId: string): Promise<CampaignStatusView> {
  const record = await stack.campaigns.get(campaignId);
  if (!record)
    fail(
      `no campaign ${campaignId} in ${stack.describe()}. Check the id printed by 'smsctl campaign launch'`,
    );
  return campaignStatusView(record, await stack.campaigns.counts(campaignId));
}

export async function actOnCampaign(
  stack: CampaignStack,
  campaignId: string,
  action: CampaignAction,
  now: Date,
) {
  if (!(await stack.campaigns.get(campaignId))) {
    fail(
      `no campaign ${campaignId} in ${stack.describe()}. Check the id printed by 'smsctl campaign launch'`,
    );
  }
  const record = await controlCampaign(stack.campaigns, campaignId, action, now);
  return { campaignId, status: record.status, takesEffect: "at the next tick" };
}

const stackOf = async (options: StackOptions) => connectStack(await stackOutputs(options));
const print = (value: unknown): void => {
  process.stdout.write(`${JSON.stringify(value)}\n`);
};

/** Adds the stack commands to `smsctl campaign`. */
export function registerStackCommands(campaign: Command): void {
  withStackOptions(
    campaign.command("launch").description("start a campaign inside a deployed stack and return at once"),
  )
    .requiredOption(
      "--subscribers <file>",
      "subscriber CSV: subscriber_id, phone_number, optional time_zone, attributes",
    )
    .option("--journey <id>", `a journey from journeys/: ${[...journeysById.keys()].join(", ")}`)
    .option("--message <text>", "a one-time message instead of a journey ({{column}} placeholders)")
    .option("--template <file>", "file holding the one-time message")
    .option(
      "--message-type <type>",
      "for --message/--template: transactional or promotional",
      "transactional",
    )
    .option("--campaign-id <id>", "campaign id (default: <journey>-<date>-<digest of audience and journey>)")
    .action(async (options: LaunchOptions) => {
      const result = await launchCampaign(await stackOf(options), options, new Date());
      print(result);
      if (result.badRows > 0) process.exitCode = 1;
    });
  withStackOptions(campaign.command("status").description("what a launched campaign has done so far"))
    .argument("<campaign-id>")
    .action(async (campaignId: string, options: StackOptions) =>
      print(await campaignStatus(await stackOf(options), campaignId)),
    );
  for (const action of ["pause", "resume", "cancel"] as const) {
    withStackOptions(campaign.command(action).description(`${action} a launched campaign (within one tick)`))
      .argument("<campaign-id>")
      .action(async (campaignId: string, options: StackOptions) =>
        print(await actOnCampaign(await stackOf(options), campaignId, action, new Date())),
      );
  }
}
