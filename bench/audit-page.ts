import { performance } from 'node:perf_hooks';
import { encodeCursor } from '@stepwise/audit/audit-cursor';
import { AuditPageRequest, AuditQueryService } from '@stepwise/audit/audit-query.service';
import { fmt, runBenchmark } from './support/figures';
import { withScratchDataSource } from './support/scratch-database';

// B5: an audit page at depth 1,000,000 events against page 1 of the same query, through
// AuditQueryService (keyset on seq). Target: deep page ≤ 2× page-1 latency.
const DEPTH = 1_000_000;
const SPARE = 500; // events older than the deep cursor, so the deep page is a full one
const TOTAL = DEPTH + SPARE;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 300);
const WARM_UP = 30;

// Hashes are not needed to page, so the million rows are made in one set-based statement.
const FILL = `INSERT INTO audit_events (seq, occurred_at, actor_id, actor_name, actor_role, action,
    resource_type, resource_id, before, after, reason, request_id, outcome, prev_hash, hash)
  SELECT g, timestamptz '2024-01-01 00:00:00+00' + g * interval '10 milliseconds',
    'actor-' || (g % 50), 'writer-' || (g % 50), 'planner',
    (ARRAY['token.created', 'token.revoked', 'auth.denied', 'service.created'])[1 + g % 4],
    'token', 'res-' || (g % 100000), NULL, jsonb_build_object('id', g, 'name', 'service-' || g), NULL,
    md5(g::text), 'success', md5((g - 1)::text) || md5((g - 1)::text), md5(g::text) || md5(g::text)
  FROM generate_series(1, $1::bigint) AS g`;

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

runBenchmark(() =>
  withScratchDataSource(
    'page',
    async ({ dataSource }) => {
      const fillStart = performance.now();
      await dataSource.transaction(async (manager) => {
        await manager.query('SET LOCAL synchronous_commit = off'); // scratch data: no need to wait for disk
        await manager.query(FILL, [TOTAL]);
      });
      await dataSource.query('ANALYZE audit_events');
      const fillMs = performance.now() - fillStart;
      const query = new AuditQueryService(dataSource);
      const deepCursor = encodeCursor(TOTAL - DEPTH + 1); // DEPTH events are newer than the cursor
      const lines = [
        `B5 audit page at depth ${fmt(DEPTH)} (${fmt(TOTAL)} events filled in ${fmt(fillMs)} ms)`,
      ];
      const cases: [string, AuditPageRequest][] = [
        ['no filter', {}],
        ['action filter', { action: 'token.revoked' }],
      ];
      for (const [label, filter] of cases) {
        const timings = { first: [] as number[], deep: [] as number[] };
        for (let round = 0; round < WARM_UP + ROUNDS; round += 1) {
          // Alternate the two so drifting load on the machine hits both alike.
          for (const which of ['first', 'deep'] as const) {
            const start = performance.now();
            const page = await query.page({
              ...filter,
              limit: 50,
              cursor: which === 'deep' ? deepCursor : undefined,
            });
            const ms = performance.now() - start;
            if (page.items.length !== 50) {
              throw new Error(`${label} ${which} page held ${page.items.length} events`);
            }
            if (round >= WARM_UP) {
              timings[which].push(ms);
            }
          }
        }
        const [first, deep] = [timings.first, timings.deep].map((list) => list.sort((a, b) => a - b));
        const ratio = percentile(deep, 0.5) / percentile(first, 0.5);
        lines.push(
          `  ${label}: page 1 median ${percentile(first, 0.5).toFixed(2)} ms (p95 ${percentile(first, 0.95).toFixed(2)}), ` +
            `depth ${fmt(DEPTH)} median ${percentile(deep, 0.5).toFixed(2)} ms (p95 ${percentile(deep, 0.95).toFixed(2)}), ` +
            `ratio ${ratio.toFixed(2)}× (target ≤ 2×)`,
        );
      }
      process.stdout.write(`${lines.join('\n')}\n`);
    },
    4,
  ),
);
