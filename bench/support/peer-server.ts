import Fastify from 'fastify';

/**
 * The B1 peer: a bare Fastify route answering the same JSON bodies from a Map (read from stdin),
 * with the same ETag/304 behaviour where the body carries a generation. Run as its own process.
 */
async function main(): Promise<void> {
  const port = Number(process.argv[2]);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
  }
  const bodies = new Map<string, string>(
    Object.entries(JSON.parse(Buffer.concat(chunks).toString()) as Record<string, string>),
  );
  const app = Fastify({ logger: false });
  app.get('/*', async (request, reply) => {
    const path = request.url.split('?')[0];
    const body = bodies.get(path);
    if (body === undefined) {
      return reply.status(404).send({ statusCode: 404 });
    }
    const generation = /"generation":(\d+)/.exec(body)?.[1];
    if (generation) {
      const etag = `"${generation}"`;
      if (request.headers['if-none-match'] === etag) {
        return reply.status(304).header('etag', etag).send();
      }
      void reply.header('etag', etag);
    }
    return reply.header('content-type', 'application/json; charset=utf-8').send(body);
  });
  await app.listen({ port, host: '127.0.0.1' });
  process.stdout.write('peer ready\n');
  // A clean exit, so a `--cpu-prof` run writes its profile.
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

void main();
