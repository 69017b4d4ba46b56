import type { Client } from 'pg';
import { Agent } from 'undici';
import { cpuSeconds } from './process-cpu';

// What B3 and its own-path variant share: the peer's POST loop, the bodies it sends, and the CPU
// the scratch database's backends used.

/** Runs `send(0 … count-1)` from `concurrency` loops; the wall time in ms. */
export async function concurrently(
  count: number,
  concurrency: number,
  send: (index: number) => Promise<void>,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const index = next;
        next += 1;
        await send(index);
      }
    }),
  );
  return performance.now() - started;
}

/** The peer: `concurrency` loops POSTing the bodies through one keep-alive undici Agent. */
export async function peerLoop(origin: string, bodies: string[], concurrency: number): Promise<number> {
  const agent = new Agent({ connections: null, keepAliveTimeout: 4_000 });
  const elapsed = await concurrently(bodies.length, concurrency, async (index) => {
    const response = await agent.request({
      origin,
      path: `/hooks/${index}`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: bodies[index],
    });
    await response.body.dump();
    if (response.statusCode !== 204) throw new Error(`peer got ${response.statusCode}`);
  });
  await agent.close();
  return elapsed;
}

/** The documents the worker sent, rebuilt as it builds them (same bytes, same size). */
export async function documents(client: Client): Promise<string[]> {
  const { rows } = await client.query<{ body: string }>(
    `SELECT json_build_object('service', service_id, 'generation', generation, 'hash', hash,
       'computedAt', to_char(computed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
       'rules', rules, 'nextChangeAt', next_change_at)::text AS body FROM service_rules ORDER BY service_id`,
  );
  return rows.map((row) => row.body);
}

/** Waits until every one of `count` services has `generation` applied. */
export async function appliedEverywhere(client: Client, generation: number, count: number): Promise<void> {
  for (let polls = 0; polls < 6000; polls += 1) {
    const { rows } = await client.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM service_rules WHERE applied_generation = $1',
      [generation],
    );
    if (rows[0].n === count) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`generation ${generation} was not applied everywhere`);
}

/** CPU seconds used so far by each PostgreSQL backend connected to the scratch database. */
export async function backendCpu(client: Client): Promise<Map<number, number>> {
  const { rows } = await client.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
  );
  const used = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      used.set(pid, cpuSeconds(pid));
    } catch {
      // Gone between the query and the read: it served nothing more.
    }
  }
  return used;
}

/** The CPU milliseconds the scratch database's backends used since `before` (new ones in full). */
export async function backendCpuSince(client: Client, before: Map<number, number>): Promise<number> {
  let total = 0;
  for (const [pid, seconds] of await backendCpu(client)) total += seconds - (before.get(pid) ?? 0);
  return total * 1000;
}
