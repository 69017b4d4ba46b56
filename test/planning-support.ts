import Redis from 'ioredis';
import { planChangedChannel } from '@stepwise/planning/plan-change-notifier';
import { ADMIN_TOKEN, bearer, TestApi } from './support/test-api';

// Helpers shared by the planning suites (services, policies, revisions, plan files).

export const admin = bearer(ADMIN_TOKEN);

export async function countRows(
  sut: TestApi,
  table: string,
  where = 'TRUE',
  params: unknown[] = [],
): Promise<number> {
  const [row] = await sut.db.query<{ n: string }>(
    `SELECT count(*) AS n FROM ${table} WHERE ${where}`,
    params,
  );
  return Number(row.n);
}

export const auditCount = (sut: TestApi, action?: string): Promise<number> =>
  action ? countRows(sut, 'audit_events', 'action = $1', [action]) : countRows(sut, 'audit_events');

/** Every table this feature writes, with the audit log: a refused request must leave all as they were. */
export async function footprint(sut: TestApi): Promise<Record<string, number>> {
  const tables = ['services', 'capability_changes', 'policies', 'revisions', 'audit_events'];
  const counts: Record<string, number> = {};
  // One client per suite database: queries go one after another.
  for (const table of tables) {
    counts[table] = await countRows(sut, table);
  }
  return counts;
}

export const aService = (id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  id,
  name: `Service ${id}`,
  mfaCapability: 'ready',
  connector: { type: 'pull' },
  ...overrides,
});

export const aPhase = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  key: 'step-1',
  title: 'VPN requires MFA',
  effective: { at: '2024-02-01' },
  scope: { services: ['svc-vpn'] },
  enforcement: 'enforce',
  ...overrides,
});

export const aRevision = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  summary: 'Require MFA on the VPN',
  reason: 'Passwords alone no longer protect accounts',
  mandatory: { since: '2024-02-28' },
  phases: [aPhase()],
  standingRules: [{ on: 'mfa-ready' }],
  ...overrides,
});

/** Services svc-vpn (ready, tag network) and svc-legacy (not ready), and a policy. */
export async function givenDirectoryAndPolicy(
  sut: TestApi,
  policy: Record<string, unknown> = {},
): Promise<string> {
  for (const service of [
    aService('svc-vpn', { tags: ['network'] }),
    aService('svc-legacy', { mfaCapability: 'not-ready' }),
  ]) {
    const res = await sut.http
      .post('/api/v1/services')
      .set(...admin)
      .send(service);
    if (res.status !== 201 && res.status !== 409) {
      throw new Error(`service: ${res.status} ${JSON.stringify(res.body)}`);
    }
  }
  const id = (policy.id as string | undefined) ?? 'mfa-test';
  await sut.http
    .post('/api/v1/policies')
    .set(...admin)
    .send({ id, title: 'MFA', timezone: 'Asia/Tokyo', populations: ['staff', 'students'], ...policy })
    .expect(201);
  return id;
}

export const redisUrlOfDatabase = (database: number): string => {
  const url = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  url.pathname = `/${database}`;
  return url.toString();
};

/**
 * Messages published on the suite's plan-changed channel, collected from subscription on; by
 * default the channel of the suite's own Redis database.
 */
export async function listenForPlanChanges(
  sut: TestApi,
  redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
): Promise<{ messages: unknown[]; channel: string; close(): void }> {
  const redis = new Redis(redisUrl);
  const messages: unknown[] = [];
  const channel = planChangedChannel(redisUrl, sut.redisPrefix);
  redis.on('message', (_channel: string, message: string) => messages.push(JSON.parse(message)));
  await redis.subscribe(channel);
  return { messages, channel, close: () => redis.disconnect() };
}

/** Polls (no fixed sleep) until `predicate` holds, failing after a generous bound. */
export async function eventually(predicate: () => boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    if (predicate()) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`not observed: ${what}`);
}
