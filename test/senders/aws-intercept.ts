/**
 * An AWS SDK v3 requestHandler that answers from a script and records every HTTP request, so a
 * test can assert the exact request the real client serialized. Used because End User Messaging
 * and Pinpoint have no local emulator.
 */
import { Readable } from "node:stream";

export interface CapturedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

export interface ScriptedResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** The SDK serializes JSON bodies as a string or as bytes, depending on the protocol version. */
function jsonOf(body: unknown): unknown {
  if (body instanceof Uint8Array) return JSON.parse(new TextDecoder().decode(body));
  if (typeof body === "string" && body !== "") return JSON.parse(body);
  return body;
}

export function interceptingHandler(respond: (request: CapturedRequest, index: number) => ScriptedResponse) {
  const requests: CapturedRequest[] = [];
  const handler = {
    metadata: { handlerProtocol: "http/1.1" },
    async handle(request: { method: string; path: string; headers: Record<string, string>; body?: unknown }) {
      const captured: CapturedRequest = {
        method: request.method,
        path: request.path,
        headers: request.headers,
        body: jsonOf(request.body),
      };
      requests.push(captured);
      const scripted = respond(captured, requests.length - 1);
      return {
        // A plain object: the SDK checks responses structurally (HttpResponse.isInstance).
        response: {
          statusCode: scripted.status,
          headers: { "content-type": "application/json", ...scripted.headers },
          body: Readable.from([Buffer.from(JSON.stringify(scripted.body))]),
        },
      };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
    destroy() {},
  };
  return { handler, requests };
}

export const testCredentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" };
