import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface HttpCall {
  method: 'GET' | 'POST' | 'PATCH';
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** The transport the client uses; tests and special setups may pass their own. */
export type HttpTransport = (call: HttpCall) => Promise<HttpAnswer>;

const MAX_ANSWER_BYTES = 4 << 20;

/**
 * One HTTP(S) request with node:http, never following redirects. Not `fetch`: in Node it loads
 * undici and its WebAssembly parser, about 10 MB of memory an enforcement point's sidecar need not
 * pay for one request every half minute.
 */
export const nodeHttpTransport: HttpTransport = (call) =>
  new Promise((resolve, reject) => {
    const url = new URL(call.url);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const body = call.body === undefined ? undefined : Buffer.from(call.body);
    const outgoing = send(
      url,
      {
        method: call.method,
        headers: { ...call.headers, ...(body ? { 'content-length': String(body.length) } : {}) },
        timeout: call.timeoutMs,
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        let size = 0;
        incoming.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_ANSWER_BYTES) {
            incoming.destroy(new Error(`answer larger than ${MAX_ANSWER_BYTES} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        incoming.on('error', reject);
        incoming.on('end', () =>
          resolve({
            status: incoming.statusCode ?? 0,
            headers: incoming.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${call.timeoutMs} ms`)));
    outgoing.on('error', reject);
    outgoing.end(body);
  });
