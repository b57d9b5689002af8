import { describe, expect, it } from "vitest";
import { decodeRecord } from "../../../core/events/decode";
import { fixtureBytes } from "./fixtures";

/**
 * Event ids as the decoders have always computed them. A redelivered or replayed native record is
 * recognised downstream by its id, so ids already in deployed stores and archives must not change
 * when the decoders are made faster: these were taken before the hot-path rewrite of issue 12.
 */
const PINNED_IDS: [fixture: string, eventId: string][] = [
  ["acs-delivery-report-failed-tagged.eventgrid.derived.json", "f15a26f9b7813332b35a430f80cf5f8e"],
  ["acs-delivery-report.cloudevent.derived.json", "9e9a0c2ad15920e7dc0301987fe3802b"],
  ["acs-delivery-report.eventgrid.json", "9e9a0c2ad15920e7dc0301987fe3802b"],
  ["acs-delivery-report.pascalcase.eventgrid.json", "9e9a0c2ad15920e7dc0301987fe3802b"],
  ["acs-sms-received.cloudevent.derived.json", "d516a33af296d7aff479b31e847fc6a1"],
  ["acs-sms-received.eventgrid.json", "d516a33af296d7aff479b31e847fc6a1"],
  ["eum-eventbridge-delivered.json", "380b12273dfe7a20f90cab89be2b3739"],
  ["eum-eventbridge-sender-id.json", "214208c3e543e99dc070c318477fb97b"],
  ["eum-eventbridge-with-destination.derived.json", "380b12273dfe7a20f90cab89be2b3739"],
  ["eum-text-blocked.derived.json", "728934d102b6bf2f3021603634fdcd7b"],
  ["eum-text-carrier-unreachable.derived.json", "1323a7776cd888d3b91b807495f77cfe"],
  ["eum-text-delivered.derived.json", "b4c2e142720597650e46acfc60237aaf"],
  ["eum-text-queued.derived.json", "e85302216667374005db3b52653ea070"],
  ["eum-text-successful.json", "178e7bc0ed657e27d7d7fb2387edf75d"],
  ["pinpoint-sms-buffered.derived.json", "baf78621750bcf748a6f72b80d5e79e8"],
  ["pinpoint-sms-failure.derived.json", "1b7ecbe053e5d018ee10f3cb568b2f5e"],
  ["pinpoint-sms-optout.derived.json", "4fcad5bd3ab9907bb2da08ee5e0fc19b"],
  ["pinpoint-sms-success.json", "830f7b4fab7f585fb62396e06686fbca"],
  ["twilio-inbound.txt", "4a5f674f3e2aaacbac123ec5b1a46b73"],
  ["twilio-status-delivered.txt", "d3daba662b22262374f45126064a7ef7"],
  ["twilio-status-sent.txt", "63c5e9459874ac3ecb7e757f3b08fc0c"],
  ["twilio-status-undelivered.txt", "51b5310fbf2befa2aec35e2e4479d47a"],
  ["two-way-inbound.json", "b2ca65bb85297a4ba48cce4edcfcd145"],
  ["two-way-sns-notification.json", "b2ca65bb85297a4ba48cce4edcfcd145"],
];

describe("stable event ids", () => {
  it.each(PINNED_IDS)("%s keeps its event id", (fixture, eventId) => {
    const result = decodeRecord(fixtureBytes(fixture), { receivedAt: "2026-11-24T15:00:00.000Z" });
    if (!result.ok) throw new Error(result.error.reason);
    expect(result.events.map((event) => event.eventId)).toEqual([eventId]);
  });
});
