import Redis from 'ioredis';
import { SecretBox } from '@stepwise/connectors/secret-box';
import { generateWebhookSecret } from '@stepwise/connectors/webhook-secret';
import type { Phase, RevisionPlan } from '@stepwise/domain/plan.types';
import { planChangedChannel } from '@stepwise/planning/plan-change-notifier';
import type { TestDatabase } from './support/test-database';
import { RunningProcess, startProcess } from './support/processes';

// Plans and services written straight into a suite's database, as the planning API would store
// them: these suites test enforcement, so they depend on the stored shape, not on that API.

/** The key isolatedEnvironment gives every process of a suite (API, worker). */
const TEST_SECRET_KEY = 'test-secret-key-0123456789-abcdefghijkl';
const box = new SecretBox(TEST_SECRET_KEY);

export interface WebhookServiceSpec {
  id: string;
  url: string;
  secret?: string;
}

export const REDIS_URL = (): string => process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export async function insertPolicy(
  db: TestDatabase,
  id = 'mfa',
  populations = ['staff', 'students'],
): Promise<void> {
  await db.query(
    `INSERT INTO policies (id, title, timezone, populations, require_approval) VALUES ($1, $1, 'UTC', $2, false)`,
    [id, populations],
  );
}

/** Registers webhook services (not-ready, no tags); returns each one's plain secret. */
export async function insertWebhookServices(
  db: TestDatabase,
  specs: WebhookServiceSpec[],
): Promise<Map<string, string>> {
  const secrets = new Map(specs.map((spec) => [spec.id, spec.secret ?? generateWebhookSecret()]));
  await db.query(
    `INSERT INTO services (id, name, connector_type, webhook_url, webhook_secret_enc)
     SELECT s.id, s.id, 'webhook', s.url, s.enc FROM unnest($1::text[], $2::text[], $3::text[]) AS s(id, url, enc)`,
    [
      specs.map((spec) => spec.id),
      specs.map((spec) => spec.url),
      specs.map((spec) => box.encrypt(secrets.get(spec.id) as string)),
    ],
  );
  return secrets;
}

export async function insertPullService(db: TestDatabase, id: string): Promise<void> {
  await db.query(`INSERT INTO services (id, name, connector_type) VALUES ($1, $1, 'pull')`, [id]);
}

/** A phase enforcing MFA on the given services from `at`. */
export function enforcingPhase(key: string, at: Date, services: string[]): Phase {
  return {
    key,
    title: key,
    effective: { at: at.toISOString() },
    scope: { services },
    enforcement: 'enforce',
    state: 'active',
  };
}

/** Stores a published revision taking over at `publishAt` (default now) and moves the head. */
export async function publishRevision(
  db: TestDatabase,
  policyId: string,
  number: number,
  phases: Phase[],
  publishAt = new Date(),
): Promise<void> {
  const plan: RevisionPlan = { phases, standingRules: [] };
  await db.query(
    `INSERT INTO revisions (policy_id, number, status, summary, reason, publish_at, plan, base_revision,
       author_id, author_name, published_at)
     VALUES ($1, $2, 'published', $3, 'enforcement test', $4, $5, $6, 'test', 'test', now())`,
    [policyId, number, `revision ${number}`, publishAt, JSON.stringify(plan), number > 1 ? number - 1 : null],
  );
  await db.query('UPDATE policies SET latest_published = $2 WHERE id = $1', [policyId, number]);
}

/** What libs/planning publishes after a committed change: the worker refreshes at once. */
export async function announcePlanChange(prefix: string, id = 'mfa'): Promise<void> {
  const redis = new Redis(REDIS_URL());
  try {
    await redis.publish(planChangedChannel(REDIS_URL(), prefix), JSON.stringify({ kind: 'policy', id }));
  } finally {
    redis.disconnect();
  }
}

export interface RulesState {
  service_id: string;
  generation: number;
  applied_generation: number;
  delivery_attempts: number;
  last_error: string | null;
  duplicate_deliveries: number;
}

export async function rulesStates(db: TestDatabase): Promise<Map<string, RulesState>> {
  const rows = await db.query<RulesState>(
    `SELECT service_id, generation, applied_generation, delivery_attempts, last_error, duplicate_deliveries
     FROM service_rules ORDER BY service_id`,
  );
  return new Map(rows.map((row) => [row.service_id, row]));
}

/** Polls until `check` answers something truthy, or fails naming `what` after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T>,
  timeoutMs = 30_000,
  everyMs = 100,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await check();
    if (last) {
      return last;
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error(`not within ${timeoutMs} ms: ${what} (last: ${JSON.stringify(last)})`);
}

/**
 * Starts the built worker as a process of its own, adds it to `started` first (so that the
 * suite's afterAll kills it even if it never gets ready), and waits until it is ready.
 */
export async function startWorkerProcess(started: RunningProcess[]): Promise<RunningProcess> {
  const worker = startProcess('dist/apps/worker/src/main.js', { LOG_LEVEL: 'info' });
  started.push(worker);
  await worker.waitFor('stepwise-worker ready');
  return worker;
}
