import { describe, expect, it, vi } from "vitest";

const registered: { name: string; options: Record<string, unknown> }[] = [];
vi.mock("@azure/functions", () => {
  const record = (name: string, options: Record<string, unknown>) => registered.push({ name, options });
  return { app: { eventHub: record, timer: record, serviceBusQueue: record } };
});

const { handlerNameOf, registerCampaigns, registerConsumer, HOST_RETRY } = await import(
  "../../../providers/azure/handlers/functions"
);
const { bundleFunctionSync, functionPackageFiles } = await import("../../../providers/azure/handlers/bundle");

describe("the Functions registration", () => {
  it("registers an Event Hubs trigger taking batches, on the hub and consumer group the app settings name, with bounded host retries", async () => {
    const handler = vi.fn(async () => ({
      records: 1,
      events: 1,
      deadLettered: 0,
      exhausted: 0,
      attempts: 1,
    }));
    registerConsumer("archive", async () => handler);
    expect(registered.at(-1)).toMatchObject({
      name: "archive",
      options: {
        connection: "EventHubConnection",
        eventHubName: "%EVENT_HUB_NAME%",
        consumerGroup: "%EVENT_HUB_CONSUMER_GROUP%",
        cardinality: "many",
        retry: { strategy: "exponentialBackoff", maxRetryCount: 5 },
      },
    });
    expect(HOST_RETRY.maxRetryCount).toBeGreaterThan(0);
    const trigger = registered.at(-1)?.options.handler as (m: unknown, c: unknown) => Promise<unknown>;
    await trigger({ single: true }, {});
    expect(handler).toHaveBeenCalledWith([{ single: true }], {});
  });

  it("registers the campaigns app: a singleton timer on the configured schedule, never on startup, and the enrollment queue", async () => {
    const ticker = vi.fn(async () => ({}));
    const enrollment = vi.fn(async () => ({}));
    registerCampaigns(async () => ({ ticker, enrollment }));
    const [timer, queue] = registered.slice(-2);
    expect(timer).toMatchObject({
      name: "ticker",
      options: { schedule: "%TICK_SCHEDULE%", runOnStartup: false, useMonitor: true },
    });
    expect(queue).toMatchObject({
      name: "enrollment",
      options: { connection: "ServiceBusConnection", queueName: "%ENROLLMENT_QUEUE%" },
    });
    const run = (options: Record<string, unknown>) =>
      options.handler as (m: unknown, c: unknown) => Promise<void>;
    await run(timer.options)({ isPastDue: true }, {});
    await run(queue.options)({ kind: "enrollment-chunk" }, {});
    expect(ticker).toHaveBeenCalledWith({ isPastDue: true }, {});
    expect(enrollment).toHaveBeenCalledWith({ kind: "enrollment-chunk" }, {});
  });

  it("names SMS_HANDLER when it is missing or not a consumer", () => {
    expect(handlerNameOf({ SMS_HANDLER: "responses" })).toBe("responses");
    expect(() => handlerNameOf({})).toThrow("SMS_HANDLER must be one of analytics, responses, archive");
    expect(() => handlerNameOf({ SMS_HANDLER: "billing" })).toThrow(/SMS_HANDLER/);
  });
});

describe("the function packages", () => {
  it("bundle each consumer alone: the analytics app carries neither the responses nor the archive code", () => {
    const analytics = bundleFunctionSync("analytics").code;
    const responses = bundleFunctionSync("responses").code;
    expect(responses).toContain("no SMS sender number configured");
    expect(analytics).not.toContain("no SMS sender number configured");
    expect(analytics).not.toContain('"archived"');
    expect(analytics).not.toMatch(/from\s*"@azure\/(cosmos|storage-blob|service-bus)"/);
    const campaigns = bundleFunctionSync("campaigns").code;
    expect(campaigns).toContain("campaign tick");
    expect(campaigns).toContain("enrollment chunk");
    expect(campaigns).not.toContain('"archived"');
  }, 60_000);

  it("ship an ESM package.json pointing at the bundle and a host.json with the extension bundle", () => {
    const files = functionPackageFiles("archive");
    expect(Object.keys(files).sort()).toEqual(["host.json", "index.mjs", "package.json"]);
    expect(JSON.parse(files["package.json"])).toMatchObject({ type: "module", main: "index.mjs" });
    const host = JSON.parse(files["host.json"]);
    expect(host.version).toBe("2.0");
    expect(host.extensionBundle.id).toBe("Microsoft.Azure.Functions.ExtensionBundle");
    expect(host.extensions.eventHubs.batchCheckpointFrequency).toBe(1);
  }, 30_000);
});
