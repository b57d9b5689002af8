import type { Subscriber } from "../../../core/ports";
import { JsonlFile } from "./jsonl-file";
import { MemorySubscriberDirectory } from "./memory/subscribers";

/** A SubscriberDirectory whose upserts are appended to a JSON-lines file and replayed at open. */
export class JsonlSubscriberDirectory extends MemorySubscriberDirectory {
  private readonly file: JsonlFile<Subscriber>;

  constructor(readonly path: string) {
    super(JsonlFile.read<Subscriber>(path));
    this.file = new JsonlFile(path);
  }

  override async upsert(subscriber: Subscriber): Promise<void> {
    this.file.append(subscriber);
    await super.upsert(subscriber);
  }

  close(): void {
    this.file.close();
  }
}
