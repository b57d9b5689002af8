import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { type CloudFunctionArgs, cloudFunction } from "./cloudFunction";
import { PUBSUB_PUBLISHER, RUN_INVOKER } from "./consumerFunction";
import { FUNCTION_ENV } from "./environment";

export const TWILIO_WEBHOOK_TYPE = "sms:gcp:TwilioWebhook";
export const SECRET_ACCESSOR = "roles/secretmanager.secretAccessor";
/** Twilio cannot authenticate to Google: the webhook is public, and the request signature is its auth. */
export const PUBLIC_INVOKER = "allUsers";

export interface TwilioWebhookArgs extends Omit<CloudFunctionArgs, "ingress" | "secrets" | "environment"> {
  secretName: pulumi.Input<string>;
  /** The auth token, when the stack config has it (a Pulumi secret); else add a version outside the stack. */
  authToken?: pulumi.Input<string>;
  kmsKeyName: pulumi.Input<string>;
  eventsTopicId: pulumi.Input<string>;
  environment: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Resources the function must wait for (the KMS grant of the Secret Manager agent). */
  dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/**
 * Twilio's inbound-message and status-callback webhook: a public HTTPS function that verifies
 * `X-Twilio-Signature` with the auth token from Secret Manager and publishes the raw form body to
 * the events topic; anything unsigned gets 403. Its account may publish to that topic and read
 * that secret, nothing else.
 */
export class TwilioWebhook extends pulumi.ComponentResource {
  public readonly secret: gcp.secretmanager.Secret;
  public readonly secretVersion?: gcp.secretmanager.SecretVersion;
  public readonly function: gcp.cloudfunctionsv2.Function;
  public readonly serviceAccount: gcp.serviceaccount.Account;
  public readonly url: pulumi.Output<string>;
  public readonly functionName: pulumi.Output<string>;

  constructor(name: string, args: TwilioWebhookArgs, opts?: pulumi.ComponentResourceOptions) {
    super(TWILIO_WEBHOOK_TYPE, name, {}, opts);
    this.secret = new gcp.secretmanager.Secret(
      `${name}-auth-token`,
      {
        secretId: args.secretName,
        replication: {
          userManaged: {
            replicas: [{ location: args.region, customerManagedEncryption: { kmsKeyName: args.kmsKeyName } }],
          },
        },
      },
      { parent: this, dependsOn: args.dependsOn },
    );
    if (args.authToken !== undefined) {
      this.secretVersion = new gcp.secretmanager.SecretVersion(
        `${name}-auth-token-version`,
        { secret: this.secret.id, secretData: pulumi.secret(args.authToken) },
        { parent: this },
      );
    }
    const parts = cloudFunction(
      name,
      {
        ...args,
        ingress: "ALLOW_ALL",
        secrets: [{ key: FUNCTION_ENV.twilioAuthToken, secretId: this.secret.secretId }],
        readsSecrets: (member, parent) => [
          new gcp.secretmanager.SecretIamMember(
            `${name}-reads-token`,
            { secretId: this.secret.id, role: SECRET_ACCESSOR, member },
            { parent },
          ),
        ],
      },
      this,
      [...(this.secretVersion ? [this.secretVersion] : [])],
    );
    this.function = parts.function;
    this.serviceAccount = parts.serviceAccount;
    this.functionName = this.function.name;
    this.url = this.function.url;
    new gcp.pubsub.TopicIAMMember(
      `${name}-publishes`,
      { topic: args.eventsTopicId, role: PUBSUB_PUBLISHER, member: this.serviceAccount.member },
      { parent: this },
    );
    new gcp.cloudrunv2.ServiceIamMember(
      `${name}-public`,
      {
        project: args.project,
        location: args.region,
        name: this.function.name,
        role: RUN_INVOKER,
        member: PUBLIC_INVOKER,
      },
      { parent: this },
    );
    this.registerOutputs({ url: this.url, functionName: this.functionName });
  }
}
