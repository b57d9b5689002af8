import type { Container } from "@azure/cosmos";
import type { TokenCredential } from "@azure/identity";
import type { RevocationMonitor } from "../../../core/processing/revocation-sla";
import type { CampaignPorts } from "./campaign-ports";
import { cosmosContainerOf } from "./clients";
import { CosmosMessageLog } from "./message-log";
import { CosmosRevocationClockStore } from "./revocation-clocks";
import { type CampaignsEnv, ENV } from "./settings";

/**
 * The revocation SLA monitor the ticker runs after each tick, on the campaigns app's own stores
 * and metrics sink plus the clocks and the message log; none without the clocks container.
 * `openContainer` opens a container by name (default: the account the settings name; tests pass the emulator's).
 */
export function revocationMonitorOf(
  env: CampaignsEnv,
  credential: () => TokenCredential,
  ports: Pick<CampaignPorts, "clock" | "metrics" | "optOuts" | "optOutReviews" | "journeys" | "subscribers">,
  openContainer?: (container: string) => Container,
): RevocationMonitor | undefined {
  const clocks = env[ENV.revocationClocksContainer];
  const messages = env[ENV.messageLogContainer];
  if (!clocks || !messages) return undefined;
  const cosmos = openContainer ?? cosmosContainerOf(env, credential);
  return {
    ports: {
      ...ports,
      revocations: new CosmosRevocationClockStore(cosmos(clocks)),
      messages: new CosmosMessageLog(cosmos(messages)),
    },
    settings: { windowMinutes: env[ENV.revocationSlaMinutes] },
  };
}
