/**
 * The archive as files under a directory, keys as relative paths: a local mirror of the bucket.
 * `npm start` writes its archive through this adapter and `smsctl replay --dir` reads it, so the
 * directory holds exactly what the bucket would (`events/dt=YYYY-MM-DD/...`, see ARCHIVE_PREFIX),
 * and `aws s3 sync s3://BUCKET DIR` produces the same layout.
 */
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import type { RewritableArchive, VersionedArchiveObject } from "../../../core/ports";

export interface DirectoryArchiveOptions {
  /** Prepended to every key (and stripped from listed keys), like the bucket adapters' keyPrefix. */
  keyPrefix?: string;
}

/** A file's version: the SHA-256 of its bytes (what an ETag is to a bucket). */
const versionOf = (body: Uint8Array) => createHash("sha256").update(body).digest("hex");

export class DirectoryArchive implements RewritableArchive {
  private readonly keyPrefix: string;

  constructor(
    private readonly root: string,
    options: DirectoryArchiveOptions = {},
  ) {
    this.keyPrefix = options.keyPrefix ?? "";
  }

  async put(key: string, body: Uint8Array): Promise<void> {
    const path = join(this.root, this.keyPrefix + key);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, body);
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      return new Uint8Array(await readFile(join(this.root, this.keyPrefix + key)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  }

  async getVersioned(key: string): Promise<VersionedArchiveObject | undefined> {
    const body = await this.get(key);
    return body && { body, version: versionOf(body) };
  }

  /**
   * Rewrites the file when its bytes are still those read, through a temporary file and a rename.
   * Local and single-writer: the check and the write are not one atomic step, as they are in a bucket.
   */
  async replaceIf(
    key: string,
    body: Uint8Array,
    _contentType: string,
    version: string,
  ): Promise<string | undefined> {
    const current = await this.get(key);
    if (!current || versionOf(current) !== version) return undefined;
    const path = join(this.root, this.keyPrefix + key);
    await writeFile(`${path}.erasing`, body);
    await rename(`${path}.erasing`, path);
    return versionOf(body);
  }

  async list(prefix: string): Promise<string[]> {
    const full = this.keyPrefix + prefix;
    // Only the directory that can hold the prefix is read: dt= partitions keep that small.
    const base = join(this.root, full.slice(0, full.lastIndexOf("/") + 1));
    let entries: string[];
    try {
      entries = await readdir(base, { recursive: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    return entries
      .map((entry) => relative(this.root, join(base, entry)).split(sep).join("/"))
      .filter((key) => key.startsWith(full) && key.endsWith(".parquet"))
      .map((key) => key.slice(this.keyPrefix.length))
      .sort();
  }
}
