/**
 * The GCP stack on this machine: Google's Pub/Sub and Firestore emulators (Java), an in-process
 * fake of the Cloud Storage JSON API (there is no GCS emulator without Docker), the functions'
 * real entry points served by the Functions Framework: the Twilio webhook (signed form posts from
 * the simulated carrier), the three consumers (Pub/Sub push, one CloudEvent per message), the
 * enrollment function (storage notifications) and the ticker (Cloud Scheduler's POST).
 */
import { randomBytes } from "node:crypto";
import { Firestore } from "@google-cloud/firestore";
import { PubSub } from "@google-cloud/pubsub";
import { Storage } from "@google-cloud/storage";
import { CAMPAIGN_PREFIX } from "../../../core/campaign/campaign";
import type { ArchiveStore } from "../../../core/ports";
import { gcpEmulatorsUnavailable, startFirestoreEmulator, startPubSubEmulator } from "../../gcp/emulators";
import { createTwilioWebhook } from "../../gcp/handlers/twilio-webhook";
import { FUNCTION_TARGETS } from "../../gcp/infra/environment";
import { GcsArchiveStore } from "../../gcp/runtime/archive-store";
import { GcsAudienceSource } from "../../gcp/runtime/audience-source";
import { PubSubDeadLetter } from "../../gcp/runtime/dead-letter";
import { PubSubEventPublisher } from "../../gcp/runtime/event-publisher";
import { NOTIFICATION_ID_ATTRIBUTE, PubSubNotifier } from "../../gcp/runtime/notifier";
import { loadGcpStackConfig } from "../bootstrap/stack-config";
import { SIMULATED_ACCOUNT_SID, twilioFormat } from "../carrier/twilio-format";
import { JournaledTopic } from "../chaos/journaled-topic";
import { crashPubSub } from "../chaos/pubsub-crash";
import { StreamOutage } from "../chaos/stream-outage";
import { startFakeGcs } from "../gcs/fake-gcs-server";
import type { LocalRunOptions } from "../run/options";
import { gcpCampaignFunctions, type ServedCampaignFunctions } from "./gcp-campaign-functions";
import { buildGcpConsumers, CONSUMER_TARGETS } from "./gcp-consumers";
import { readGcpDeadLetters } from "./gcp-dead-letters";
import { pushTo, type ServedFunction, serveFunction } from "./gcp-function-server";
import { pullAll, sameMessageOnce } from "./gcp-pull-all";
import { PushDriver } from "./gcp-push-driver";
import { RecordedTopic } from "./gcp-recorded-topic";
import { createGcpResources, emulatorSubscriber, LOCAL_GCP_PROJECT } from "./gcp-resources";
import { firestoreStores } from "./gcp-stores";
import { TwilioIngress } from "./gcp-twilio-ingress";
import { CONSUMERS, type ConsumerName, type LocalCloud, type LocalCloudHooks } from "./local-cloud";

/** The audience prefix (core/campaign/campaign.ts CAMPAIGN_PREFIX) lives in its own bucket, as deployed. */
const routedStorage = (
  archive: ArchiveStore,
  audience: ArchiveStore,
  audiencePrefix: string,
): ArchiveStore => {
  const storeOf = (key: string) => (key.startsWith(audiencePrefix) ? audience : archive);
  return {
    put: (key, body, contentType) => storeOf(key).put(key, body, contentType),
    get: (key) => storeOf(key).get(key),
    list: (prefix) => storeOf(prefix).list(prefix),
  };
};

/** The client libraries read the emulators' hosts from the environment, as in the tests. */
const pointClientsAt = (pubsubHost: string, firestoreHost: string) => {
  process.env["METADATA_SERVER_DETECTION"] = "none";
  process.env["PUBSUB_EMULATOR_HOST"] = pubsubHost;
  process.env["FIRESTORE_EMULATOR_HOST"] = firestoreHost;
};

export async function startGcpCloud(options: LocalRunOptions, hooks: LocalCloudHooks): Promise<LocalCloud> {
  const config = loadGcpStackConfig(options.stackFile ?? "Pulumi.gcp.yaml");
  const unavailable = gcpEmulatorsUnavailable();
  if (unavailable) throw new Error(`the GCP stack cannot run here: ${unavailable}`);
  const emulators = await Promise.all([startPubSubEmulator(hooks.log), startFirestoreEmulator(hooks.log)]);
  const closers: (() => Promise<unknown>)[] = [];
  const stopEmulators = async () => {
    await Promise.all(emulators.map((emulator) => emulator.process.stop()));
  };
  const stop = async () => {
    for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
    await stopEmulators();
  };
  hooks.onEmulatorsStarted?.(stopEmulators);
  try {
    const [pubsubEmulator, firestoreEmulator] = emulators;
    pointClientsAt(pubsubEmulator.host, firestoreEmulator.host);
    const pubsub = new PubSub({ projectId: LOCAL_GCP_PROJECT });
    const firestore = new Firestore({ projectId: LOCAL_GCP_PROJECT });
    const subscriber = emulatorSubscriber(pubsubEmulator.host);
    closers.push(
      () => pubsub.close(),
      () => firestore.terminate(),
      () => subscriber.close(),
    );
    const gcs = await startFakeGcs();
    closers.push(() => gcs.close());
    const storage = new Storage({ apiEndpoint: gcs.endpoint, projectId: LOCAL_GCP_PROJECT });

    const resources = await createGcpResources(pubsub, config);
    const stores = firestoreStores(firestore, config);
    const archiveBucket = `${config.names.archiveBucketPrefix}-archive-local`;
    const audienceBucket = `${config.names.archiveBucketPrefix}-audience-local`;
    const archive = new GcsArchiveStore(storage.bucket(archiveBucket));
    const audience = new GcsAudienceSource(storage.bucket(audienceBucket));
    // --chaos kill=pubsub: the emulator restarts empty, so the topics journal what they accepted
    // and the run publishes again what was not finished (chaos/pubsub-crash.ts).
    const journal = options.chaos.kill === "pubsub";
    const eventsOutage = new StreamOutage();
    const sideOutage = new StreamOutage();
    // A publish the crash interrupts must fail, not be retried by the client into the restarted
    // emulator before its subscriptions exist (the message would reach no one): the topic retries it.
    const publishOptions = journal ? { gaxOpts: { retry: null } } : {};
    const eventsTopic = new JournaledTopic(
      pubsub.topic(resources.eventsTopic, { messageOrdering: true, ...publishOptions }),
      { outage: eventsOutage, journal },
    );
    const events = new RecordedTopic(eventsTopic);
    const deadLetterTopic = new JournaledTopic(pubsub.topic(resources.deadLetterTopic, publishOptions), {
      outage: sideOutage,
      journal,
    });
    const notificationTopic = new JournaledTopic(pubsub.topic(resources.notificationTopic, publishOptions), {
      outage: sideOutage,
      journal,
    });
    const deadLetter = new PubSubDeadLetter(deadLetterTopic);
    // The stack's token is a secret set outside the stack file; locally a fresh one signs and verifies.
    const authToken = config.twilioAuthToken ?? randomBytes(16).toString("hex");
    const webhook = await serveFunction(FUNCTION_TARGETS.webhook, {
      kind: "http",
      handler: createTwilioWebhook({
        authToken,
        topic: events,
        ...(options.functionLogs ? {} : { log: () => {} }),
      }),
    });
    closers.push(() => webhook.close());
    const ingress = new TwilioIngress({ webhookUrl: `${webhook.url}/`, authToken, topic: events });

    const drivers = new Map<ConsumerName, PushDriver>();
    const running = (consumer: ConsumerName) => {
      const driver = drivers.get(consumer);
      if (!driver) throw new Error("the consumers are not started");
      return driver;
    };
    const consumerOfSubscription = (subscription: string) =>
      Object.values(CONSUMERS).find((consumer) =>
        resources.subscriptions[consumer].endsWith(`/${subscription}`),
      ) ?? subscription;
    const served: Promise<ServedCampaignFunctions>[] = [];
    closers.push(async () => Promise.all(served.map(async (functions) => (await functions).close())));

    return {
      cloud: "gcp",
      provider: "twilio",
      config,
      services: [
        { deployed: "Pub/Sub", local: "Google's Pub/Sub emulator (gcloud, Java)", simulated: false },
        { deployed: "Firestore", local: "Google's Firestore emulator (gcloud, Java)", simulated: false },
        {
          deployed: "Cloud Storage",
          local: "an in-process fake of the JSON API (providers/local/gcs; no emulator without Docker)",
          simulated: true,
        },
        {
          deployed: "Cloud Functions gen2",
          local: "the Functions Framework (npm), serving each function's real entry point",
          simulated: false,
        },
        {
          deployed: "Pub/Sub push subscriptions",
          local:
            "a push driver pulling from the emulator (ordering, ack, backoff, dead letter after max attempts)",
          simulated: true,
        },
        {
          deployed: "Twilio Programmable Messaging",
          local: "the simulated carrier (signed webhooks)",
          simulated: true,
        },
      ],
      stores,
      storage: routedStorage(archive, new GcsArchiveStore(storage.bucket(audienceBucket)), CAMPAIGN_PREFIX),
      carrierFormat: twilioFormat(config.twilioAccountSid ?? SIMULATED_ACCOUNT_SID),
      publisher: new PubSubEventPublisher(events),
      partitions: { local: 1, stack: 1 },
      ingest: (emissions) => ingress.ingest(emissions),
      streamCounts: () => ({ published: events.published, failed: events.failed }),
      flush: () => events.flush(),
      async startConsumers(wiring) {
        const handlers = buildGcpConsumers({
          wiring,
          stores,
          deadLetter,
          notifier: new PubSubNotifier(notificationTopic),
          archive,
        });
        for (const consumer of Object.values(CONSUMERS)) {
          const fn: ServedFunction = await serveFunction(CONSUMER_TARGETS[consumer], {
            kind: "cloudEvent",
            handler: handlers[consumer],
          });
          closers.push(() => fn.close());
          const driver = new PushDriver({
            subscriber,
            subscription: resources.subscriptions[consumer],
            settings: config,
            push: (body) => pushTo(fn, resources.eventsTopicId, body),
            deadLetterTopic,
            publishTimeOf: async (messageId, emulatorTime) =>
              (await events.simulatedPublishTime(messageId)) ?? emulatorTime,
            onDelivered: () => wiring.onBatch?.(consumer, 1),
            outage: eventsOutage,
          });
          closers.push(() => driver.stop());
          drivers.set(consumer, driver);
          driver.start();
        }
      },
      settle: (consumer) => running(consumer).settle([...events.ids]),
      async finishConsumers() {
        await events.flush();
        const ids = [...events.ids];
        await Promise.all(Object.values(CONSUMERS).map((consumer) => running(consumer).settle(ids)));
        await Promise.all([...drivers.values()].map((driver) => driver.stop()));
      },
      consumerStats: () =>
        Object.fromEntries(
          [...drivers].map(([consumer, driver]) => [`${config.names.stream}-${consumer}`, driver.stats()]),
        ),
      campaignFunctions(wiring) {
        const functions = gcpCampaignFunctions({
          ports: { ...wiring.ports, deadLetter },
          audience,
          enrollmentTopicId: `projects/${LOCAL_GCP_PROJECT}/topics/${config.names.stream}-enrollment`,
          settings: wiring.settings,
          chunkRows: wiring.chunkRows,
          codeJourneys: wiring.codeJourneys,
          ...(wiring.revocationMonitor ? { revocationMonitor: wiring.revocationMonitor } : {}),
          functionLogs: options.functionLogs,
        });
        served.push(functions);
        return {
          enroll: async (key, fromLine) => (await functions).enroll(key, fromLine),
          tick: async () => (await functions).tick(),
        };
      },
      crash: async (emulator, downMs) => {
        if (emulator !== "pubsub" || !journal) {
          throw new Error(`the GCP run cannot crash ${emulator}: start it with --chaos kill=pubsub`);
        }
        return {
          ...(await crashPubSub({
            eventsOutage,
            sideOutage,
            events: eventsTopic,
            sideTopics: [notificationTopic, deadLetterTopic],
            crash: async () => {
              const [running] = emulators;
              await running.process.kill();
              await new Promise((resolve) => setTimeout(resolve, downMs));
              const port = Number(running.host.split(":").at(-1));
              emulators[0] = await startPubSubEmulator(hooks.log, port);
            },
            redeclare: async () => {
              await createGcpResources(pubsub, config);
            },
            consumersQuiet: async () => {
              await Promise.all([...drivers.values()].map((driver) => driver.quiet()));
            },
            finishedByAll: (messageId) => [...drivers.values()].every((driver) => driver.done.has(messageId)),
          })),
        };
      },
      recoveryFigures: () => {
        const topics = [eventsTopic, deadLetterTopic, notificationTopic];
        return {
          publishOutageRetries: topics.reduce((sum, topic) => sum + topic.outageRetries, 0),
          lateRepublished: topics.reduce((sum, topic) => sum + topic.lateRepublished, 0),
        };
      },
      deadLetters: () =>
        readGcpDeadLetters(subscriber, resources.deadLetterReader, consumerOfSubscription, sameMessageOnce()),
      notificationIds: async () => {
        const ids: string[] = [];
        await pullAll(
          subscriber,
          resources.notificationReader,
          ({ attributes }) => ids.push(attributes[NOTIFICATION_ID_ATTRIBUTE] ?? ""),
          sameMessageOnce(),
        );
        return ids;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
