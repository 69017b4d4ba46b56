import { Client } from 'pg';
import { SecretBox } from '@stepwise/connectors/secret-box';
import { generateWebhookSecret } from '@stepwise/connectors/webhook-secret';

// Shared by B2, B3 and B6: a policy, N services and published revisions written as the planning
// API stores them, so each benchmark measures enforcement and nothing else.

export const BENCH_SECRET_KEY = 'bench-secret-key-0123456789-abcdefghijklmnop';

export interface BenchServices {
  count: number;
  /** `webhook` targets: the URL each service posts to. Omitted: pull connectors. */
  webhookUrl?: (id: string) => string;
}

export const benchServiceId = (index: number): string => `bench-${String(index).padStart(5, '0')}`;

export async function seedBenchDirectory(client: Client, services: BenchServices): Promise<string[]> {
  const ids = Array.from({ length: services.count }, (_, index) => benchServiceId(index + 1));
  await client.query(
    `INSERT INTO policies (id, title, timezone, populations, require_approval)
     VALUES ('mfa', 'MFA', 'UTC', '{staff,students}', false)`,
  );
  const box = new SecretBox(BENCH_SECRET_KEY);
  const webhook = services.webhookUrl;
  await client.query(
    `INSERT INTO services (id, name, tags, connector_type, webhook_url, webhook_secret_enc)
     SELECT s.id, s.id, '{bench}', $2, s.url, s.enc FROM unnest($1::text[], $3::text[], $4::text[]) AS s(id, url, enc)`,
    [
      ids,
      webhook ? 'webhook' : 'pull',
      ids.map((id) => (webhook ? webhook(id) : null)),
      ids.map(() => (webhook ? box.encrypt(generateWebhookSecret()) : null)),
    ],
  );
  return ids;
}

export interface BenchPhase {
  key: string;
  at: Date;
  enforcement: 'enforce' | 'report-only';
  /** Default: every bench service (by its tag). */
  services?: string[];
}

/** Stores revision `number` as published, taking over now. */
export async function publishBenchRevision(
  client: Client,
  number: number,
  phases: BenchPhase[],
): Promise<void> {
  const plan = {
    phases: phases.map((phase) => ({
      key: phase.key,
      title: phase.key,
      effective: { at: phase.at.toISOString() },
      scope: phase.services ? { services: phase.services } : { selector: { tags: ['bench'] } },
      enforcement: phase.enforcement,
      state: 'active',
    })),
    standingRules: [],
  };
  await client.query(
    `INSERT INTO revisions (policy_id, number, status, summary, reason, publish_at, plan, base_revision,
       author_id, author_name, published_at)
     VALUES ('mfa', $1, 'published', 'bench', 'bench', now(), $2, $3, 'bench', 'bench', now())`,
    [number, JSON.stringify(plan), number > 1 ? number - 1 : null],
  );
  await client.query(`UPDATE policies SET latest_published = $1 WHERE id = 'mfa'`, [number]);
}

export const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

/** Ends the process if a benchmark overruns: each one is bounded in time. */
export function boundRun(seconds: number): void {
  setTimeout(() => {
    process.stderr.write(`benchmark did not finish within ${seconds} s\n`);
    process.exit(2);
  }, seconds * 1000).unref();
}
