/**
 * The seam between the local run and the two functions a stack deploys for launched campaigns: the
 * enrollment function (started by the audience upload, one chunk per invocation) and the ticker (on
 * a schedule). The run only calls `enroll` and `tick`; today they call the core directly, and a
 * cloud's handlers (e.g. the AWS Lambda ones, given an S3 event and a schedule event) fit behind
 * the same two calls.
 */
import { Readable } from "node:stream";
import { readAudienceCsv } from "../../../core/campaign/audience";
import { journeyOfCampaign } from "../../../core/campaign/campaign";
import {
  type CampaignChunk,
  type CampaignEnrollment,
  enrollCampaignChunk,
} from "../../../core/campaign/enrollment";
import type { Journey } from "../../../core/campaign/journey";
import {
  type CampaignTickerPorts,
  type CampaignTickReport,
  createTickerEngine,
  runCampaignTick,
  type TickerSettings,
} from "../../../core/campaign/ticker";
import type { ProviderName } from "../../../core/events/schema";
import type { ArchiveStore, DeadLetter } from "../../../core/ports";

export interface CampaignFunctions {
  /** One invocation of the enrollment function over a chunk of the campaign's uploaded audience. */
  enroll(chunk: CampaignChunk): Promise<CampaignEnrollment>;
  /** One scheduled invocation of the ticker, at the clock's instant. */
  tick(): Promise<CampaignTickReport>;
}

export interface CoreCampaignFunctionsDeps {
  ports: CampaignTickerPorts;
  /** The stack's storage the audience was uploaded to (at the campaign record's audienceKey). */
  storage: Pick<ArchiveStore, "get">;
  deadLetter: DeadLetter;
  settings: TickerSettings;
  provider: ProviderName;
  /** The code's own journeys (journeys/index.ts), ticked alongside the launched campaigns. */
  codeJourneys: Journey[];
}

/** Both functions on the core, as each cloud's handlers run it, minus the trigger envelopes. */
export function coreCampaignFunctions(deps: CoreCampaignFunctionsDeps): CampaignFunctions {
  const { ports } = deps;
  return {
    async enroll(chunk) {
      const record = await ports.campaigns.get(chunk.campaignId);
      if (!record) throw new Error(`no campaign record for ${chunk.campaignId}`);
      const audience = await deps.storage.get(record.audienceKey);
      if (!audience) throw new Error(`no audience uploaded at ${record.audienceKey}`);
      const engine = createTickerEngine([journeyOfCampaign(record)], ports, deps.settings, deps.provider);
      return enrollCampaignChunk(readAudienceCsv(Readable.from([Buffer.from(audience)])), chunk, {
        engine,
        journeys: ports.journeys,
        subscribers: ports.subscribers,
        campaigns: ports.campaigns,
        deadLetter: deps.deadLetter,
        now: () => ports.clock.now(),
      });
    },
    tick: () => runCampaignTick(deps.codeJourneys, ports, deps.settings, deps.provider),
  };
}
