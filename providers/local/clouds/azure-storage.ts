/**
 * The Azure stack's two blob containers behind the one `storage` the local run writes to: the
 * audience container (uploads under campaigns/, whose BlobCreated events start enrollment) and the
 * archive container (the Parquet files). The stack keeps them apart (infra/audienceStore.ts,
 * infra/eventArchive.ts), so the run does too.
 */
import type { ContainerClient } from "@azure/storage-blob";
import { CAMPAIGN_PREFIX } from "../../../core/campaign/campaign";
import type { ArchiveStore } from "../../../core/ports";
import { BlobArchiveStore } from "../../azure/runtime/archive-store";

export class AzureStackStorage implements ArchiveStore {
  readonly archive: BlobArchiveStore;
  private readonly audience: BlobArchiveStore;

  constructor(containers: { archive: ContainerClient; audience: ContainerClient }) {
    this.archive = new BlobArchiveStore(containers.archive);
    this.audience = new BlobArchiveStore(containers.audience);
  }

  private containerOf(key: string): BlobArchiveStore {
    return key.startsWith(CAMPAIGN_PREFIX) ? this.audience : this.archive;
  }

  put(key: string, body: Uint8Array, contentType: string): Promise<void> {
    return this.containerOf(key).put(key, body, contentType);
  }

  get(key: string): Promise<Uint8Array | undefined> {
    return this.containerOf(key).get(key);
  }

  list(prefix: string): Promise<string[]> {
    return this.containerOf(prefix).list(prefix);
  }
}
