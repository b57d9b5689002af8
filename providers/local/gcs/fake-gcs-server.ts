import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { CRC32C } from "@google-cloud/storage";

/**
 * A tiny stand-in for the Cloud Storage JSON API (there is no emulator without Docker), just enough
 * for `@google-cloud/storage` as the archive store uses it: multipart uploads, `alt=media`
 * downloads (404 for a missing object) and prefix listings in name order. Objects live in memory.
 */
export interface FakeGcs {
  endpoint: string;
  objects: Map<string, Buffer>;
  requests: string[];
  close(): Promise<void>;
}

const readBody = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
  });

/** The media part of a multipart/related upload: the second part, after its headers. */
const mediaOf = (body: Buffer, contentType: string): Buffer => {
  const boundary = /boundary=([^;]+)/.exec(contentType)?.[1];
  if (!boundary) throw new Error("multipart upload without a boundary");
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Buffer[] = [];
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    parts.push(body.subarray(start + delimiter.length, next));
    start = next;
  }
  const media = parts[1];
  const headerEnd = media.indexOf("\r\n\r\n");
  return media.subarray(headerEnd + 4, media.length - 2);
};

const json = (res: ServerResponse, status: number, value: unknown) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(value));
};

export const startFakeGcs = async (): Promise<FakeGcs> => {
  const objects = new Map<string, Buffer>();
  /** Each object's generation, bumped per write; ifGenerationMatch is checked against it (412). */
  const generations = new Map<string, number>();
  const requests: string[] = [];
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://fake");
    const body = await readBody(req);
    requests.push(`${req.method} ${url.pathname}`);
    const upload = /^\/upload\/storage\/v1\/b\/([^/]+)\/o$/.exec(url.pathname);
    const object = /^\/storage\/v1\/b\/([^/]+)\/o\/(.+)$/.exec(url.pathname);
    const list = /^\/storage\/v1\/b\/([^/]+)\/o$/.exec(url.pathname);
    if (req.method === "POST" && upload) {
      const name = url.searchParams.get("name") ?? "";
      const media = mediaOf(body, req.headers["content-type"] ?? "");
      const path = `${upload[1]}/${name}`;
      const ifGenerationMatch = url.searchParams.get("ifGenerationMatch");
      if (ifGenerationMatch !== null && ifGenerationMatch !== String(generations.get(path) ?? 0)) {
        return json(res, 412, { error: { code: 412, message: "conditionNotMet" } });
      }
      objects.set(path, media);
      generations.set(path, (generations.get(path) ?? 0) + 1);
      // The client checks the upload against the hashes the server reports, as the real API does.
      const crc32c = new CRC32C();
      crc32c.update(media);
      return json(res, 200, {
        kind: "storage#object",
        bucket: upload[1],
        name,
        size: String(media.length),
        generation: String(generations.get(path)),
        crc32c: crc32c.toString(),
        md5Hash: createHash("md5").update(media).digest("base64"),
      });
    }
    if (req.method === "GET" && object) {
      const stored = objects.get(`${object[1]}/${decodeURIComponent(object[2])}`);
      if (!stored) return json(res, 404, { error: { code: 404, message: "No such object" } });
      if (url.searchParams.get("alt") !== "media") {
        const name = decodeURIComponent(object[2]);
        const generation = String(generations.get(`${object[1]}/${name}`));
        return json(res, 200, { kind: "storage#object", bucket: object[1], name, generation });
      }
      res.writeHead(200, { "content-type": "application/octet-stream" });
      return res.end(stored);
    }
    if (req.method === "GET" && list) {
      const prefix = `${list[1]}/${url.searchParams.get("prefix") ?? ""}`;
      const names = [...objects.keys()].filter((key) => key.startsWith(prefix)).sort();
      return json(res, 200, {
        kind: "storage#objects",
        items: names.map((key) => ({ bucket: list[1], name: key.slice(list[1].length + 1) })),
      });
    }
    json(res, 400, { error: { code: 400, message: `not faked: ${req.method} ${url.pathname}` } });
  });
  // The client keeps connections alive longer than Node's 5 s default: a socket the server closed
  // under a reused request answers ECONNRESET (the real API keeps them far longer).
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 121_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    objects,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
