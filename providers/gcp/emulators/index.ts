/**
 * Google's Pub/Sub and Firestore emulators (gcloud components, Java), started on free ports on
 * 127.0.0.1 as their own process groups, so stop() also ends the JVMs. The jars are run directly:
 * it starts in about a second, where `gcloud emulators ... start` takes several.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { EMULATOR_JVM_FLAGS, javaAvailable, javaCommand } from "../../local/emulators/dynamodb";
import { LOOPBACK, portFor } from "../../local/emulators/ports";
import {
  answersHttp,
  type DetachedProcess,
  spawnDetached,
  waitUntilReady,
} from "../../local/emulators/process-group";

/** Where gcloud keeps its components (override with CLOUDSDK_ROOT). */
export const gcloudRoot = (): string => process.env["CLOUDSDK_ROOT"] ?? "/usr/lib/google-cloud-sdk";

const pubsubJar = () =>
  join(gcloudRoot(), "platform/pubsub-emulator/lib/cloud-pubsub-emulator-0.8.20-all.jar");
const firestoreJar = () =>
  join(gcloudRoot(), "platform/cloud-firestore-emulator/cloud-firestore-emulator.jar");

/** Why the emulators cannot run here, or undefined when they can. */
export const gcpEmulatorsUnavailable = (): string | undefined => {
  if (!javaAvailable()) return "Java is not installed (Google's emulators are Java programs)";
  for (const jar of [pubsubJar(), firestoreJar()]) {
    if (!existsSync(jar))
      return `${jar} is missing (install the gcloud pubsub-emulator and cloud-firestore-emulator components)`;
  }
  return undefined;
};

export interface RunningGcpEmulator {
  /** host:port, the form PUBSUB_EMULATOR_HOST and FIRESTORE_EMULATOR_HOST take. */
  host: string;
  process: DetachedProcess;
}

const start = async (
  name: string,
  args: (port: number) => string[],
  log?: (line: string) => void,
  requestedPort?: number,
): Promise<RunningGcpEmulator> => {
  const port = await portFor(requestedPort, name);
  const child = spawnDetached(name, javaCommand(), [...EMULATOR_JVM_FLAGS, ...args(port)], { log });
  const host = `${LOOPBACK}:${port}`;
  await waitUntilReady(child, () => answersHttp(`http://${host}/`), 60_000);
  return { host, process: child };
};

/** On a free port, or on `port` (a restart after a chaos kill, where the clients still point). */
export const startPubSubEmulator = (log?: (line: string) => void, port?: number) =>
  start("pubsub-emulator", (at) => ["-jar", pubsubJar(), `--host=${LOOPBACK}`, `--port=${at}`], log, port);

export const startFirestoreEmulator = (log?: (line: string) => void) =>
  start(
    "firestore-emulator",
    (port) => [
      "-Duser.language=en",
      "-cp",
      firestoreJar(),
      "com.google.cloud.datastore.emulator.firestore.CloudFirestore",
      "start",
      `--host=${LOOPBACK}`,
      `--port=${port}`,
    ],
    log,
  );
