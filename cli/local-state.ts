import { join } from "node:path";

/** Where `smsctl journey` keeps its state unless --state says otherwise. */
export const DEFAULT_JOURNEY_STATE_DIR = join(".sms-local", "journeys");

/** The consent evidence file inside a state directory (written by `journey reply`, read by `consent`). */
export const CONSENT_LOG_FILE = "consent.jsonl";

/** The other files of a state directory, as `smsctl journey` names them. */
export const STATE_FILES = {
  journeys: "journeys.jsonl",
  ledger: "ledger.jsonl",
  subscribers: "subscribers.jsonl",
  sends: "sends.jsonl",
  optOuts: "opt-outs.jsonl",
  optOutReviews: "opt-out-reviews.jsonl",
  /** Erasure tombstones (salted hashes only), written by `smsctl erase`, read by every journey command. */
  erasures: "erasures.jsonl",
  /** The revocation SLA clocks (started by `journey reply` and `review accept`, judged by `compliance report`). */
  revocations: "revocations.jsonl",
} as const;

/** The local outbox: every message a local command sent (cli/outbox.ts). */
export const OUTBOX_FILE = STATE_FILES.sends;

export const REVOCATION_CLOCKS_FILE = STATE_FILES.revocations;

/** Where `npm start` leaves its archive (`smsctl replay --dir`). */
export const DEFAULT_LOCAL_ARCHIVE_DIR = join(".sms-local", "archive");

/**
 * The salt of the local state's phone hashes: SMS_PHONE_HASH_SALT when set (use the stack's to
 * compare tombstones), else a fixed local one. Local state is one machine's test data, not a secret.
 */
export const localPhoneHashSalt = (): string =>
  process.env["SMS_PHONE_HASH_SALT"] || "sms-local-state-phone-hash-salt";
