import { Storage } from "@google-cloud/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GcsArchiveStore } from "../../../providers/gcp/runtime/archive-store";
import { type FakeGcs, startFakeGcs } from "../../../providers/local/gcs/fake-gcs-server";
import { archiveStoreContract } from "../../contracts/archive.contract";

let gcs: FakeGcs;
let storage: Storage;
beforeAll(async () => {
  process.env["METADATA_SERVER_DETECTION"] = "none";
  gcs = await startFakeGcs();
  // A custom endpoint makes the client skip authentication.
  storage = new Storage({ apiEndpoint: gcs.endpoint, projectId: "sms-emulated" });
});
afterAll(() => gcs.close());

const store = (keyPrefix?: string) => new GcsArchiveStore(storage.bucket("sms-archive"), { keyPrefix });

archiveStoreContract("Cloud Storage client against a fake JSON API server", () => store());
archiveStoreContract("Cloud Storage client with a key prefix, against the fake server", () =>
  store("stack-a/"),
);

describe("the Cloud Storage archive store", () => {
  it("writes each object in one multipart request (no resumable session) under the prefixed name", async () => {
    gcs.requests.length = 0;
    await store("stack-b/").put(
      "events/dt=2026-11-24/abc.parquet",
      new Uint8Array([80, 65, 82, 49]),
      "application/vnd.apache.parquet",
    );
    expect(gcs.requests).toEqual(["POST /upload/storage/v1/b/sms-archive/o"]);
    expect([...(gcs.objects.get("sms-archive/stack-b/events/dt=2026-11-24/abc.parquet") ?? [])]).toEqual([
      80, 65, 82, 49,
    ]);
  });
});
