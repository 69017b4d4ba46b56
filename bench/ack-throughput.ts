import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { AuditContext, AuditLog } from '@stepwise/audit/audit-log';
import { AuditReader } from '@stepwise/audit/audit-reader';
import { AuditVerifyService } from '@stepwise/audit/audit-verify.service';
import { RulesApplier } from '@stepwise/enforcement/rules-applier';
import { ServiceRulesRepository } from '@stepwise/enforcement/service-rules.repository';
import { RulesAckService } from '../apps/api/src/rules/rules-ack.service';
import { percentile, seedBenchDirectory } from './b2-plan-fixtures';
import { concurrently, fmt, perSecond, runBenchmark } from './support/figures';
import { withScratchDataSource } from './support/scratch-database';

// Pull acks under load, no target (an info figure): a fleet of enforcement points acknowledging a
// new generation at once, through RulesAckService (concurrent acks share a transaction and one
// audit append), against the same acks one transaction each (the row locked, the fenced apply
// and its `rules.applied` event, as RulesAckService made them before it grouped them). Each round
// acks the next generation of every service; ours and the peer's rounds alternate.
const SERVICES = Number(process.env.BENCH_SERVICES ?? 5_000);
const WRITERS = Number(process.env.BENCH_WRITERS ?? 64);
const PAIRS = Number(process.env.BENCH_PAIRS ?? 3);
const POOL = 20;

runBenchmark(() =>
  withScratchDataSource(
    'acks',
    async ({ url, dataSource }) => {
      const client = new Client({ connectionString: url });
      await client.connect();
      const ids = await seedBenchDirectory(client, { count: SERVICES });
      // Generations issued far ahead, so that each round acknowledges a new one everywhere.
      await client.query(
        `INSERT INTO service_rules (service_id, generation, hash, rules, computed_at)
         SELECT id, 1000, 'bench', '{}'::json, now() FROM unnest($1::text[]) AS id`,
        [ids],
      );
      await client.end();
      const contexts: AuditContext[] = ids.map((id) => ({
        actor: { id: randomUUID(), name: `connector of ${id}`, role: 'connector', services: [id] },
        requestId: null,
      }));
      const auditLog = new AuditLog(dataSource);
      const applier = new RulesApplier(auditLog);
      const grouped = new RulesAckService(auditLog, applier, new ServiceRulesRepository(dataSource));
      const oneEach = async (context: AuditContext, serviceId: string, generation: number) =>
        auditLog.change(context, async (tx) => {
          await tx.manager.query(
            'SELECT generation, applied_generation FROM service_rules WHERE service_id = $1 FOR UPDATE',
            [serviceId],
          );
          await applier.applyInTransaction(tx, [{ serviceId, generation, via: 'ack' }]);
        });

      let generation = 0;
      /** Every service acks the next generation, through `ack`; the wall time in ms. */
      const round = (ack: typeof oneEach) => {
        generation += 1;
        const acked = generation;
        return concurrently(SERVICES, WRITERS, (i) =>
          ack({ ...contexts[i], requestId: randomUUID() }, ids[i], acked),
        );
      };
      const oursRound = () => round((context, serviceId, acked) => grouped.ack(context, serviceId, acked));
      const peerRound = () => round(oneEach);
      await oursRound(); // warm-up of both paths: pools, plans, JIT
      await peerRound();
      const ratios: number[] = [];
      const lines: string[] = [];
      for (let pair = 0; pair < PAIRS; pair += 1) {
        const ours = await oursRound();
        const peer = await peerRound();
        ratios.push(peer / ours);
        lines.push(
          `  pair ${pair + 1}: grouped ${fmt(perSecond(SERVICES, ours))} acks/s (${ours.toFixed(0)} ms), ` +
            `one transaction each ${fmt(perSecond(SERVICES, peer))} acks/s (${peer.toFixed(0)} ms), ` +
            `ratio ${(peer / ours).toFixed(2)}x`,
        );
      }
      const applied = await dataSource.query<{ n: string }[]>(
        'SELECT count(*)::text AS n FROM service_rules WHERE applied_generation = $1',
        [generation],
      );
      if (Number(applied[0].n) !== SERVICES) {
        throw new Error(`only ${applied[0].n} services at ${generation}`);
      }
      await auditLog.onApplicationShutdown();
      const verdict = await new AuditVerifyService(new AuditReader(dataSource)).verify();
      process.stdout.write(
        `Pull acks: ${SERVICES} services acking a new generation per round, ${WRITERS} callers, pool of ${POOL}\n` +
          `${lines.join('\n')}\n` +
          `  median ratio ${percentile(ratios, 50).toFixed(2)}x (grouped against one transaction each; no target)\n` +
          `  chain after the run: ${verdict.ok ? `ok, ${fmt(verdict.checked)} events` : JSON.stringify(verdict)}\n`,
      );
    },
    POOL,
  ),
);
