import type { JourneyState } from "../../../core/ports";
import { journeysById } from "../../../journeys";
import { createMemoryPorts } from "../../../providers/local/runtime/memory";

export const NOW = "2026-11-24T10:00:00.000Z";
export const ana = { subscriberId: "ana", phoneNumber: "+14255550123", attributes: {} };

/** Ana waits on the Welcome Series' YES branch, as the deployed ticker leaves her after the welcome. */
export async function anaWaitingOnYes() {
  const ports = createMemoryPorts({ now: NOW, subscribers: [ana] });
  const waiting: JourneyState = {
    journeyId: "welcome-series",
    subscriberId: "ana",
    phoneNumber: ana.phoneNumber,
    stepId: "answer",
    status: "waiting",
    wakeAt: "2026-11-25T10:00:00.000Z",
    version: 3,
    updatedAt: NOW,
  };
  await ports.journeys.put(waiting, 0);
  const consumerPorts = {
    ...ports,
    journeyRouting: { journeys: ports.journeys, subscribers: ports.subscribers, definitions: journeysById },
  };
  return { ports, consumerPorts };
}
