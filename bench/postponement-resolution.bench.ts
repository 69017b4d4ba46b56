import { compilePolicies } from '@stepwise/domain/compiled-plan';
import { compileService } from '@stepwise/domain/compiled-service';
import type { PolicyWithRevisions, ServiceFacts } from '@stepwise/domain/plan.types';
import { computeRules } from '@stepwise/domain/rules-document';
import { fmt, perSecond, runBenchmark } from './support/figures';

// What postponements cost the worker's desired-state computation (computeRules for every service,
// as a refresh does): 10,000 services under a plan of four phases and two standing rules, with no
// postponement (the peer), with one for 1 % of services, and with one for every service, measured
// in the same run, rounds interleaved, the median round reported.
const SERVICES = Number(process.env.BENCH_SERVICES ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const DAY = 86_400_000;
const NOW = Date.parse('2027-01-15T00:00:00Z');

const policy: PolicyWithRevisions = {
  policy: {
    id: 'mfa',
    title: 'MFA',
    timezone: 'Asia/Tokyo',
    populations: ['staff', 'students'],
    requireApproval: true,
  },
  revisions: [
    {
      number: 1,
      publishAt: '2026-01-01T00:00:00.000Z',
      recordedAt: '2026-01-01T00:00:00.000Z',
      plan: {
        mandatory: { since: '2026-01-01' },
        standingRules: [
          { on: 'mfa-ready', since: '2026-01-01' },
          { on: 'service-introduced', since: '2026-01-01' },
        ],
        phases: ['2026-06-01', '2027-01-01', '2027-04-01', '2027-09-01'].map((at, index) => ({
          key: `step-${index + 1}`,
          title: `step ${index + 1}`,
          effective: { at },
          postponeUntilMax: '2027-12-31',
          scope: { selector: { tags: [`group-${index}`] } },
          enforcement: 'enforce' as const,
          state: 'active' as const,
        })),
      },
    },
  ],
};

function directory(postponedEvery: number): ServiceFacts[] {
  return Array.from({ length: SERVICES }, (_, index) => {
    const group = index % 4;
    const facts: ServiceFacts = {
      id: `svc-${index}`,
      tags: [`group-${group}`],
      recordedAt: '2025-01-01T00:00:00.000Z',
      introductions: [],
      capabilityChanges: [
        { mfaCapability: 'ready', effectiveAt: '2025-06-01T00:00:00Z', recordedAt: '2025-06-01T00:00:00Z' },
      ],
    };
    if (postponedEvery > 0 && index % postponedEvery === 0) {
      facts.postponements = [
        {
          id: String(index + 1),
          policy: 'mfa',
          phase: `step-${group + 1}`,
          until: new Date(NOW + 60 * DAY).toISOString(),
          recordedAt: '2026-12-01T00:00:00.000Z',
        },
      ];
    }
    return facts;
  });
}

function round(
  services: ReturnType<typeof compileService>[],
  policies: ReturnType<typeof compilePolicies>,
): number {
  const started = performance.now();
  let hashes = 0;
  for (const service of services) {
    hashes += computeRules({ policies, service, now: NOW }).hash.length;
  }
  if (hashes === 0) {
    throw new Error('nothing computed');
  }
  return performance.now() - started;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

runBenchmark(async () => {
  const policies = compilePolicies([policy]);
  const cases = [
    { name: 'no postponement (peer)', services: directory(0).map(compileService) },
    { name: '1 % postponed', services: directory(100).map(compileService) },
    { name: 'every service postponed', services: directory(1).map(compileService) },
  ];
  const times = cases.map(() => [] as number[]);
  for (const [index, item] of cases.entries()) {
    round(item.services, policies); // warm-up
    times[index].push(round(item.services, policies));
  }
  for (let r = 1; r < ROUNDS; r += 1) {
    cases.forEach((item, index) => times[index].push(round(item.services, policies)));
  }
  const peer = median(times[0]);
  process.stdout.write(`computeRules for ${fmt(SERVICES)} services, median of ${ROUNDS} rounds\n`);
  cases.forEach((item, index) => {
    const ms = median(times[index]);
    process.stdout.write(
      `${item.name.padEnd(26)} ${fmt(ms)} ms  ${fmt(perSecond(SERVICES, ms))} services/s  ${fmt(peer / ms)}× peer\n`,
    );
  });
  await Promise.resolve();
});
