import { Firestore } from "@google-cloud/firestore";
import { PubSub } from "@google-cloud/pubsub";
import { Storage } from "@google-cloud/storage";

/** The Google clients the adapters use; tests pass their own (pointed at the emulators). */
export interface GcpClients {
  firestore: Firestore;
  pubsub: PubSub;
  storage: Storage;
}

export interface GcpClientOptions {
  projectId?: string;
  /** Firestore database id; "(default)" when absent. */
  databaseId?: string;
}

/**
 * Clients with the project and database of the environment. The emulators are reached through
 * PUBSUB_EMULATOR_HOST / FIRESTORE_EMULATOR_HOST, which the clients read themselves.
 */
export const createGcpClients = (options: GcpClientOptions = {}): GcpClients => ({
  firestore: new Firestore({
    ...(options.projectId ? { projectId: options.projectId } : {}),
    ...(options.databaseId ? { databaseId: options.databaseId } : {}),
  }),
  pubsub: new PubSub(options.projectId ? { projectId: options.projectId } : {}),
  storage: new Storage(options.projectId ? { projectId: options.projectId } : {}),
});

/** A topic client that keeps ordering keys (the events topic): one person's events stay in order. */
export const orderedTopic = (pubsub: PubSub, topicName: string) =>
  pubsub.topic(topicName, { messageOrdering: true });
