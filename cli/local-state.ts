import { join } from "node:path";

/** Where `smsctl journey` keeps its state unless --state says otherwise. */
export const DEFAULT_JOURNEY_STATE_DIR = join(".sms-local", "journeys");

/** The consent evidence file inside a state directory (written by `journey reply`, read by `consent`). */
export const CONSENT_LOG_FILE = "consent.jsonl";

/** The revocation SLA clocks (started by `journey reply` and `review accept`, judged by `compliance report`). */
export const REVOCATION_CLOCKS_FILE = "revocations.jsonl";

/** The local outbox: every message a local command sent (cli/outbox.ts). */
export const OUTBOX_FILE = "sends.jsonl";
