import { join } from "node:path";

/** Where `smsctl journey` keeps its state unless --state says otherwise. */
export const DEFAULT_JOURNEY_STATE_DIR = join(".sms-local", "journeys");

/** The consent evidence file inside a state directory (written by `journey reply`, read by `consent`). */
export const CONSENT_LOG_FILE = "consent.jsonl";
