import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * B3's local receiver, in a process of its own so that neither side of the benchmark shares its
 * event loop: answers every POST 204 and counts them; `GET /stats` gives the count and the times
 * of the first and last request since `POST /reset`.
 */
let count = 0;
let first = 0;
let last = 0;

const server = createServer((request, response) => {
  if (request.method === 'GET' && request.url === '/stats') {
    response
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ count, first, last }));
    return;
  }
  if (request.url === '/reset') {
    count = 0;
    first = 0;
    last = 0;
    response.writeHead(204).end();
    return;
  }
  request.resume();
  request.on('end', () => {
    const now = Date.now();
    if (count === 0) {
      first = now;
    }
    count += 1;
    last = now;
    response.writeHead(204).end();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`receiver ready on ${(server.address() as AddressInfo).port}\n`);
});
