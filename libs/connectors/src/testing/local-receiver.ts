import { createServer, IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Tells connections apart: equal ports mean a reused keep-alive socket. */
  remotePort: number;
}

export interface LocalReceiver {
  /** `http://127.0.0.1:<port>` without a trailing slash. */
  origin: string;
  port: number;
  received: ReceivedRequest[];
  close(): Promise<void>;
}

export type ReceiverHandler = (request: ReceivedRequest, response: ServerResponse) => void;

/** A real HTTP server on 127.0.0.1 and an ephemeral port that records what it receives. */
export async function startLocalReceiver(handler: ReceiverHandler): Promise<LocalReceiver> {
  const received: ReceivedRequest[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const recorded: ReceivedRequest = {
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        remotePort: request.socket.remotePort ?? 0,
      };
      received.push(recorded);
      handler(recorded, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function respondWith(statusCode: number, headers: Record<string, string> = {}) {
  return (_request: ReceivedRequest, response: ServerResponse): void => {
    response.writeHead(statusCode, headers).end('{}');
  };
}
