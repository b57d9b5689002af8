/**
 * The GCP stack's messaging on the Pub/Sub emulator, as providers/gcp/infra/pipeline.ts declares
 * it: the events topic, the dead-letter topic (with a reader subscription for the run's count), the
 * notification topic (with a reader subscription standing in for its subscribers), and one subscription per consumer named `<stream>-<consumer>`, ordered, with
 * the stack's ack deadline, retention and retry policy. The dead-letter policy is the push driver's
 * (see gcp-push-driver.ts): the emulator's own fails its pulls.
 */
import { type PubSub, v1 } from "@google-cloud/pubsub";
import { credentials } from "@grpc/grpc-js";
import type { GcpStackConfig } from "../../gcp/infra/config";
import { CONSUMERS, type ConsumerName } from "./local-cloud";

export const LOCAL_GCP_PROJECT = "sms-local";

export interface GcpLocalResources {
  eventsTopic: string;
  deadLetterTopic: string;
  deadLetterReader: string;
  notificationTopic: string;
  notificationReader: string;
  /** Full subscription paths (projects/<p>/subscriptions/<s>) by consumer. */
  subscriptions: Record<ConsumerName, string>;
  /** projects/<p>/topics/<events> */
  eventsTopicId: string;
}

export const subscriptionPathOf = (project: string, name: string) =>
  `projects/${project}/subscriptions/${name}`;

export async function createGcpResources(pubsub: PubSub, config: GcpStackConfig): Promise<GcpLocalResources> {
  const { names } = config;
  const [events] = await pubsub.createTopic(names.stream);
  const [deadLetter] = await pubsub.createTopic(names.deadLetterQueue);
  const [notifications] = await pubsub.createTopic(names.notificationTopic);
  // A subscriber of the stack's notifications (an operator's inbox), so the run can count what arrived.
  const notificationReader = `${names.notificationTopic}-local-reader`;
  await notifications.createSubscription(notificationReader);
  const deadLetterReader = `${names.deadLetterQueue}-local-reader`;
  await deadLetter.createSubscription(deadLetterReader);
  const project = LOCAL_GCP_PROJECT;
  const subscriptions = {} as Record<ConsumerName, string>;
  for (const consumer of Object.values(CONSUMERS)) {
    const name = `${names.stream}-${consumer}`;
    await events.createSubscription(name, {
      ackDeadlineSeconds: config.ackDeadlineSeconds,
      enableMessageOrdering: true,
      messageRetentionDuration: { seconds: 604_800 },
      retryPolicy: {
        minimumBackoff: { seconds: config.minimumBackoffSeconds },
        maximumBackoff: { seconds: config.maximumBackoffSeconds },
      },
    });
    subscriptions[consumer] = subscriptionPathOf(project, name);
  }
  return {
    eventsTopic: names.stream,
    eventsTopicId: `projects/${project}/topics/${names.stream}`,
    deadLetterTopic: names.deadLetterQueue,
    deadLetterReader: subscriptionPathOf(project, deadLetterReader),
    notificationTopic: names.notificationTopic,
    notificationReader: subscriptionPathOf(project, notificationReader),
    subscriptions,
  };
}

/** The low-level subscriber (pull, acknowledge, modifyAckDeadline) on the emulator at host:port. */
export function emulatorSubscriber(host: string): v1.SubscriberClient {
  const [servicePath, port] = host.split(":");
  return new v1.SubscriberClient({
    servicePath,
    port: Number(port),
    sslCreds: credentials.createInsecure(),
    projectId: LOCAL_GCP_PROJECT,
  });
}
