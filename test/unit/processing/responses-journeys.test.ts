import { describe, expect, it } from "vitest";
import { processReplies, type ResponsesSettings } from "../../../core/processing/responses";
import { reply } from "./events";
import { ana, anaWaitingOnYes, NOW } from "./waiting-on-yes";

const settings: ResponsesSettings = { helpText: "help", stopConfirmationText: "stopped", patterns: [] };

const setup = anaWaitingOnYes;

describe("the responses consumer moves journeys", () => {
  it("takes the YES branch and leaves its step due now for the ticker, sending nothing itself", async () => {
    const { ports, consumerPorts } = await setup();
    const outcome = await processReplies(
      [reply("Yes!", { phoneNumber: ana.phoneNumber })],
      consumerPorts,
      settings,
    );
    expect(outcome.journeysMoved).toBe(1);
    expect(await ports.journeys.get("welcome-series", "ana")).toMatchObject({
      stepId: "thank-you",
      status: "waiting",
      wakeAt: NOW,
      lastReply: "YES",
      version: 4,
    });
    expect(await ports.journeys.due(NOW, 10)).toHaveLength(1);
    expect(ports.sender.delivered).toEqual([]);
  });

  it("ends every journey of the number on STOP, and a replay of that STOP moves nothing", async () => {
    const { ports, consumerPorts } = await setup();
    const stop = reply("stop", { phoneNumber: ana.phoneNumber });
    expect((await processReplies([stop], consumerPorts, settings)).journeysMoved).toBe(1);
    expect(await ports.journeys.get("welcome-series", "ana")).toMatchObject({
      status: "done",
      lastReply: "STOP",
    });
    expect(await ports.journeys.due("2027-01-01T00:00:00.000Z", 10)).toEqual([]);
    expect((await processReplies([stop], consumerPorts, settings)).journeysMoved).toBe(0);
  });

  it("leaves journeys alone when the consumer is given no journey routing", async () => {
    const { ports } = await setup();
    await processReplies([reply("STOP", { phoneNumber: ana.phoneNumber })], ports, settings);
    expect(await ports.journeys.get("welcome-series", "ana")).toMatchObject({
      status: "waiting",
      version: 3,
    });
  });
});
