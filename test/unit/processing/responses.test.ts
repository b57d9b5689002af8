import { describe, expect, it } from "vitest";
import type { SmsEvent } from "../../../core/events/schema";
import {
  logSentMessages,
  onlyLogsMessages,
  processReplies,
  RESPONSE_TTL_SECONDS,
  type ResponsesSettings,
} from "../../../core/processing/responses";
import { phoneHash } from "../../../core/redact";
import { createMemoryPorts, type MemoryPorts } from "../../../providers/local/runtime/memory";
import { reply, smsEvent } from "./events";

const settings: ResponsesSettings = {
  helpText: "Acme alerts: reply STOP to opt out. Msg&data rates may apply.",
  stopConfirmationText: "You are unsubscribed from Acme alerts. Reply START to resubscribe.",
  senderNumber: "+18005550199",
  patterns: [
    { name: "complaint", type: "sentiment", sentiment: "negative" },
    { name: "refund", type: "regex", pattern: "\\brefund\\b", flags: "i" },
    { name: "yes", type: "keyword", keyword: "yes" },
  ],
};

const phone = "+14255550123";

function setup(): MemoryPorts {
  return createMemoryPorts({ now: "2026-11-24T10:00:00.000Z" });
}

describe("processReplies", () => {
  it("stores a reply with its classification and a TTL one year after it was received", async () => {
    const ports = setup();
    const event = reply("Yes please", { phoneNumber: phone, campaignId: "spring", subscriberId: "sub-1" });
    await processReplies([event], ports, settings);
    expect(await ports.responses.get(event.eventId)).toEqual({
      event_id: event.eventId,
      subscriber_id: "sub-1",
      phone_number: phone,
      response_text: "Yes please",
      response_timestamp: event.occurredAt,
      campaign_id: "spring",
      category: "yes",
      keyword: "YES",
      sentiment: "positive",
      ttl: Date.parse(event.occurredAt) / 1000 + RESPONSE_TTL_SECONDS,
    });
  });

  it("confirms STOP once across two batches and a replay, and records the opt-out", async () => {
    const ports = setup();
    const first = reply("STOP", { phoneNumber: phone });
    const second = reply("stop please", { phoneNumber: phone, occurredAt: "2026-11-24T10:05:00.000Z" });
    await processReplies([first], ports, settings);
    await processReplies([second], ports, settings);
    const replay = await processReplies([first, second], ports, settings);

    expect(await ports.optOuts.isOptedOut(phone)).toBe(true);
    expect(ports.sender.requests.map((r) => r.body)).toEqual([settings.stopConfirmationText]);
    expect(ports.sender.requests[0]).toMatchObject({
      to: phone,
      from: settings.senderNumber,
      messageType: "transactional",
    });
    expect(replay).toMatchObject({ stored: 0, replays: 2, answers: 0 });
    // A bare STOP is not a complaint: the negative-sentiment pattern stays quiet.
    expect(ports.notifier.published).toEqual([]);
    expect(ports.responses.all()).toHaveLength(2);
  });

  it("still confirms STOP when a crash came after the opt-out but before the reply was stored", async () => {
    const ports = setup();
    const stop = reply("STOP", { phoneNumber: phone });
    const failingSender = { send: async () => Promise.reject(new Error("sender down")) };
    await expect(processReplies([stop], { ...ports, sender: failingSender }, settings)).rejects.toThrow(
      "sender down",
    );
    expect(await ports.optOuts.isOptedOut(phone)).toBe(true);
    expect(await ports.responses.get(stop.eventId)).toBeUndefined();

    await processReplies([stop], ports, settings);
    expect(ports.sender.to(phone).map((r) => r.body)).toEqual([settings.stopConfirmationText]);
    expect(await ports.responses.get(stop.eventId)).toBeDefined();
  });

  it("records a carrier-side opt-out so a later STOP reply is not confirmed again", async () => {
    const ports = setup();
    await processReplies([smsEvent({ kind: "opted_out", phoneNumber: phone })], ports, settings);
    expect(await ports.optOuts.isOptedOut(phone)).toBe(true);
    await processReplies([reply("STOP", { phoneNumber: phone })], ports, settings);
    expect(ports.sender.requests).toEqual([]);
  });

  it("opts a number back in on START", async () => {
    const ports = setup();
    await processReplies(
      [reply("STOP", { phoneNumber: phone }), reply("start", { phoneNumber: phone })],
      ports,
      settings,
    );
    expect(await ports.optOuts.isOptedOut(phone)).toBe(false);
  });

  it("answers HELP with the configured text and an idempotency key derived from the event", async () => {
    const ports = setup();
    const help = reply("help", { phoneNumber: phone });
    await processReplies([help], ports, settings);
    await processReplies([help], ports, settings);
    expect(ports.sender.requests).toEqual([
      {
        to: phone,
        body: settings.helpText,
        from: settings.senderNumber,
        messageType: "transactional",
        idempotencyKey: `${help.eventId}:help`,
      },
    ]);
  });

  it("fails the reply when the HELP answer is throttled, and answers it when the record is retried", async () => {
    const ports = setup();
    const help = reply("HELP", { phoneNumber: phone });
    ports.sender.respondWith(() => ({ status: "throttled", reason: "rate exceeded" }));
    await expect(processReplies([help], ports, settings)).rejects.toThrow(/help answer .*rate exceeded/);
    expect(await ports.responses.get(help.eventId)).toBeUndefined();

    ports.sender.respondWith((request) => ({ status: "sent", messageId: `m-${request.idempotencyKey}` }));
    const retried = await processReplies([help], ports, settings);
    expect(retried).toMatchObject({ stored: 1, answers: 1 });
    expect(ports.sender.delivered.map((r) => r.body)).toEqual([settings.helpText]);
  });

  it("stores a HELP from a number the provider reports opted out, without counting an answer", async () => {
    const ports = setup();
    const help = reply("HELP", { phoneNumber: phone });
    ports.sender.respondWith(() => ({ status: "opted_out", reason: "recipient opted out" }));
    expect(await processReplies([help], ports, settings)).toMatchObject({ stored: 1, answers: 0 });
  });

  it("publishes one notification per matching pattern with a stable id, and none on replay", async () => {
    const ports = setup();
    const angry = reply("This is terrible, I want a REFUND", { phoneNumber: phone, campaignId: "spring" });
    const yes = reply("YES", { phoneNumber: phone, campaignId: "spring" });
    const neutral = reply("what time do you open?", { phoneNumber: phone });
    await processReplies([angry, yes, neutral], ports, settings);
    await processReplies([angry, yes, neutral], ports, settings);

    expect(ports.notifier.published.map((n) => n.id)).toEqual([
      `${angry.eventId}:complaint`,
      `${angry.eventId}:refund`,
      `${yes.eventId}:yes`,
    ]);
    expect(ports.notifier.published[0]).toMatchObject({
      attributes: {
        pattern: "complaint",
        campaignId: "spring",
        phoneMasked: "***0123",
        sentiment: "negative",
      },
    });
  });

  it("notifies with the masked number, its salted hash, the body's length and the event id, never the text or the number", async () => {
    const ports = setup();
    const salt = "test-salt";
    const angry = reply("This is terrible, call me on +1 425 555 0123 about a REFUND", {
      phoneNumber: phone,
      campaignId: "spring",
      subscriberId: "sub-7",
    });
    await processReplies([angry], ports, { ...settings, phoneHashSalt: salt });

    const [complaint] = ports.notifier.published;
    expect(complaint).toEqual({
      id: `${angry.eventId}:complaint`,
      subject: "SMS reply matched complaint",
      message: expect.stringContaining(`event id ${angry.eventId}`),
      attributes: {
        pattern: "complaint",
        eventId: angry.eventId,
        phoneMasked: "***0123",
        phoneHash: phoneHash(phone, salt),
        bodyLength: String([...(angry.body ?? "")].length),
        category: "free_text",
        sentiment: "negative",
        campaignId: "spring",
        subscriberId: "sub-7",
      },
    });
    expect(complaint.message).toContain(`***0123 (hash ${phoneHash(phone, salt)})`);
    const everything = JSON.stringify(ports.notifier.published);
    expect(everything).not.toContain(phone);
    expect(everything).not.toContain("4255550123");
    expect(everything).not.toMatch(/terrible|REFUND|425 555/);
  });

  it("leaves the hash out of a notification when no salt is configured", async () => {
    const ports = setup();
    await processReplies([reply("yes", { phoneNumber: phone })], ports, settings);
    expect(ports.notifier.published[0].attributes).toMatchObject({ phoneMasked: "***0123", bodyLength: "3" });
    expect(ports.notifier.published[0].attributes).not.toHaveProperty("phoneHash");
  });

  it("does not quote the number when a sender's refusal names it", async () => {
    const ports = setup();
    ports.sender.respondWith((request) => ({
      status: "throttled",
      reason: `rate exceeded for ${request.to}`,
    }));
    const error = await processReplies([reply("HELP", { phoneNumber: phone })], ports, settings).catch(
      (thrown: Error) => thrown,
    );
    expect(String(error)).toMatch(/help answer .*rate exceeded for \*\*\*0123/);
    expect(String(error)).not.toContain(phone);
  });

  it("links a reply to its campaign and journey through inReplyTo", async () => {
    const ports = setup();
    const sent = smsEvent({
      kind: "sent",
      messageId: "msg-1",
      phoneNumber: phone,
      campaignId: "spring",
      journeyId: "welcome",
      subscriberId: "sub-9",
    });
    const later = smsEvent({
      kind: "sent",
      messageId: "msg-2",
      phoneNumber: phone,
      campaignId: "summer",
      occurredAt: "2026-11-24T11:00:00.000Z",
    });
    const answer = reply("yes", {
      phoneNumber: phone,
      inReplyTo: "msg-1",
      occurredAt: "2026-11-24T12:00:00.000Z",
    });
    await processReplies([sent, later, answer], ports, settings);
    expect(await ports.responses.get(answer.eventId)).toMatchObject({
      campaign_id: "spring",
      journey_id: "welcome",
      subscriber_id: "sub-9",
    });
  });

  it("links a reply with no in-reply-to id to the newest message sent to that number", async () => {
    const ports = setup();
    await processReplies(
      [
        smsEvent({
          kind: "queued",
          messageId: "old",
          phoneNumber: phone,
          campaignId: "spring",
          occurredAt: "2026-11-20T10:00:00.000Z",
        }),
        smsEvent({
          kind: "sent",
          messageId: "new",
          phoneNumber: phone,
          campaignId: "summer",
          occurredAt: "2026-11-23T10:00:00.000Z",
        }),
      ],
      ports,
      settings,
    );
    const answer = reply("sounds good", { phoneNumber: phone });
    await processReplies([answer], ports, settings);
    expect((await ports.responses.get(answer.eventId))?.campaign_id).toBe("summer");
  });

  it("leaves a reply unlinked when nothing was sent to the number", async () => {
    const ports = setup();
    const stray = reply("who is this?", { phoneNumber: "+14255550999" });
    await processReplies([stray], ports, settings);
    const stored = await ports.responses.get(stray.eventId);
    expect(stored).toBeDefined();
    expect(stored).not.toHaveProperty("campaign_id");
    expect(stored).not.toHaveProperty("journey_id");
  });

  it("ignores delivery receipts", async () => {
    const ports = setup();
    const outcome = await processReplies([smsEvent({ kind: "delivered", messageId: "m" })], ports, settings);
    expect(outcome).toEqual({
      stored: 0,
      replays: 0,
      optedOut: 0,
      answers: 0,
      heldForReview: 0,
      notifications: 0,
      messagesLogged: 0,
      journeysMoved: 0,
    });
    expect(await ports.messages.get("m")).toBeUndefined();
  });
});

describe("processReplies with events from a replayed stream", () => {
  it("changes no stored state when the same batch runs twice", async () => {
    const ports = setup();
    const batch: SmsEvent[] = [
      smsEvent({ kind: "sent", messageId: "m1", phoneNumber: phone, campaignId: "spring" }),
      reply("STOP", { phoneNumber: phone }),
      reply("HELP", { phoneNumber: "+14255550124" }),
      reply("I hate this", { phoneNumber: "+14255550125" }),
    ];
    await processReplies(batch, ports, settings);
    const snapshot = {
      responses: ports.responses.all(),
      optedOut: ports.optOuts.list(),
      sends: ports.sender.requests.length,
      notifications: ports.notifier.published.length,
    };
    await processReplies(batch, ports, settings);
    expect({
      responses: ports.responses.all(),
      optedOut: ports.optOuts.list(),
      sends: ports.sender.requests.length,
      notifications: ports.notifier.published.length,
    }).toEqual(snapshot);
  });
});

describe("logSentMessages, the responses consumer's path for records that only log messages", () => {
  const send = (messageId: string, overrides: Partial<SmsEvent> = {}) =>
    smsEvent({ kind: "queued", messageId, campaignId: "c-1", ...overrides });

  it("takes only events that each log a message", () => {
    expect(onlyLogsMessages([send("m-1"), send("m-2", { kind: "sent" })])).toBe(true);
    expect(onlyLogsMessages([send("m-1"), reply("YES")])).toBe(false);
    // A sent receipt without a number logs nothing, so it goes through processReplies.
    expect(onlyLogsMessages([send("m-1", { phoneNumber: undefined })])).toBe(false);
    expect(onlyLogsMessages([])).toBe(false);
  });

  it("leaves the message log as processReplies would, erased numbers skipped, the first of an id kept", async () => {
    const erased = "+14255550999";
    const events = [
      send("m-1", { phoneNumber: "+14255550111" }),
      send("m-2", { phoneNumber: erased }),
      send("m-1", { kind: "sent", occurredAt: "2026-11-24T10:05:00.000Z", phoneNumber: "+14255550111" }),
      send("m-3", { phoneNumber: "+14255550133" }),
    ];
    const erasures = { isErased: async (phoneNumber: string) => phoneNumber === erased };
    const oneByOne = setup();
    for (const event of events) await processReplies([event], { ...oneByOne, erasures }, settings);
    const together = setup();
    const outcome = await logSentMessages(events, { messages: together.messages, erasures });
    expect(outcome).toEqual({ messagesLogged: 3, erasedSkipped: 1 });
    for (const id of ["m-1", "m-2", "m-3"]) {
      expect(await together.messages.get(id)).toEqual(await oneByOne.messages.get(id));
    }
    expect(await together.messages.get("m-1")).toMatchObject({ sentAt: "2026-11-24T10:00:30.000Z" });
    expect(await together.messages.get("m-2")).toBeUndefined();
  });
});
