import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";

export const ENCRYPTION_KEY_TYPE = "sms:gcp:EncryptionKey";

/** The role a service agent needs to use a CMEK key, and nothing more. */
export const KMS_ENCRYPTER_DECRYPTER = "roles/cloudkms.cryptoKeyEncrypterDecrypter";

export interface EncryptionKeyArgs {
  keyRingName: pulumi.Input<string>;
  /** The key ring's location: the region every regional resource of the stack lives in. */
  location: pulumi.Input<string>;
  /** Rotation period, e.g. "7776000s" (90 days). */
  rotationPeriod?: pulumi.Input<string>;
  /** Members (service agents) that encrypt and decrypt with the key, by a stable id. */
  users: Record<string, pulumi.Input<string>>;
}

/**
 * One customer-managed Cloud KMS key (CMEK) for everything at rest: Pub/Sub, Firestore, Cloud
 * Storage, Secret Manager, BigQuery. Each service agent gets encrypt/decrypt on this key only.
 */
export class EncryptionKey extends pulumi.ComponentResource {
  public readonly keyRing: gcp.kms.KeyRing;
  public readonly key: gcp.kms.CryptoKey;
  public readonly keyId: pulumi.Output<string>;
  public readonly grants: gcp.kms.CryptoKeyIAMMember[];

  constructor(name: string, args: EncryptionKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    super(ENCRYPTION_KEY_TYPE, name, {}, opts);
    this.keyRing = new gcp.kms.KeyRing(
      `${name}-ring`,
      { name: args.keyRingName, location: args.location },
      { parent: this },
    );
    this.key = new gcp.kms.CryptoKey(
      `${name}-key`,
      {
        name: "sms-data",
        keyRing: this.keyRing.id,
        purpose: "ENCRYPT_DECRYPT",
        rotationPeriod: args.rotationPeriod ?? "7776000s",
      },
      { parent: this, protect: false },
    );
    this.keyId = this.key.id;
    this.grants = Object.entries(args.users).map(
      ([id, member]) =>
        new gcp.kms.CryptoKeyIAMMember(
          `${name}-${id}`,
          { cryptoKeyId: this.key.id, role: KMS_ENCRYPTER_DECRYPTER, member },
          { parent: this },
        ),
    );
    this.registerOutputs({ keyId: this.keyId });
  }
}
