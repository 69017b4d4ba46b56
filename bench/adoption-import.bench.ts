import { createReadStream, createWriteStream, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { SnapshotCollector } from '@stepwise/domain/adoption-file';
import { classifyPerson, PEOPLE_COLUMNS, readPopulationMapping } from '@stepwise/domain/adoption-people';
import { readCsv } from '@stepwise/planning/adoption-file-reader';
import { fmt, perSecond, runBenchmark } from './support/figures';

// Issue #20's figure: a 200,000-row Okta "MFA Enrollment by User" file reduced to counts by the
// importer's reading path (csv-parse stream, SHA-256 of the bytes, header check, population
// mapping, denominator rule, counting) against csv-parse alone reading the same file into records.
// Target: ≥ 0.5× the peer's rows/s, ≤ 100 MB extra memory (peak RSS over the run's start).
// The database part (one INSERT of a few count rows, one audit event) is left out of both.
const ROWS = Number(process.env.BENCH_ROWS ?? 200_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const HEADER =
  'User,User email,Username,User status,User isAdmin,Authenticator count,Authenticator types,Group';
const TYPES = [
  'Password',
  '"Password, Okta Verify"',
  '"Password, Okta Verify, Email"',
  '"Password, FIDO2 (WebAuthn)"',
];
const STATUSES = ['Active', 'Active', 'Active', 'Active', 'Suspended', 'Deprovisioned'];

async function writeFile(path: string): Promise<void> {
  const out = createWriteStream(path);
  out.write(`${HEADER}\n`);
  for (let i = 0; i < ROWS; i += 1) {
    const domain = i % 3 === 0 ? 'example.ac.jp' : 'students.example.ac.jp';
    const email = `${i % 97 === 0 ? 'svc-' : ''}user${i}@${domain}`;
    const line = `User ${i},${email},${email},${STATUSES[i % STATUSES.length]},false,${(i % 4) + 1},${TYPES[i % TYPES.length]},${domain === 'example.ac.jp' ? 'Faculty and staff' : 'Students'}\n`;
    if (!out.write(line)) {
      await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
}

/** Runs `work`, sampling RSS; returns ms and the peak RSS above the level at its start. */
async function measured(work: () => Promise<number>): Promise<{ ms: number; rows: number; extraMb: number }> {
  global.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  const start = process.hrtime.bigint();
  const rows = await work();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { ms, rows, extraMb: (peak - base) / 1_048_576 };
}

async function peer(path: string): Promise<number> {
  let rows = 0;
  await pipeline(
    createReadStream(path),
    parse({ columns: true, bom: true }),
    async (records: AsyncIterable<unknown>) => {
      for await (const _record of records) {
        rows += 1;
      }
    },
  );
  return rows;
}

async function ours(path: string): Promise<number> {
  const read = readPopulationMapping(
    {
      populations: [
        { population: 'students', domain: 'students.example.ac.jp' },
        { population: 'faculty-staff', domain: 'example.ac.jp' },
      ],
      serviceAccounts: { pattern: '^svc-' },
    },
    new Set(['students', 'faculty-staff']),
  );
  if (!read.ok) {
    throw new Error('bad mapping');
  }
  const collector = new SnapshotCollector(new Set(['students', 'faculty-staff']), 'UTC');
  const asOf = Date.UTC(2024, 4, 1);
  await readCsv(createReadStream(path), PEOPLE_COLUMNS.okta, collector, (record, line) => {
    collector.rows += 1;
    const person = classifyPerson(record, 'okta', read.mapping);
    if (person.kind === 'counted') {
      collector.addPerson(person.population, asOf, person.registered ? 'registered' : 'unregistered');
    } else if (person.kind === 'bad') {
      collector.reject(line, person.message);
    }
  });
  if (collector.snapshots().length !== 2) {
    throw new Error('expected two populations');
  }
  return collector.rows;
}

runBenchmark(async () => {
  const path = join(tmpdir(), `stepwise-okta-${process.pid}.csv`);
  await writeFile(path);
  try {
    const peers: number[] = [];
    const mine: number[] = [];
    let extraMb = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      const p = await measured(() => peer(path));
      const o = await measured(() => ours(path));
      peers.push(perSecond(p.rows, p.ms));
      mine.push(perSecond(o.rows, o.ms));
      extraMb = Math.max(extraMb, o.extraMb);
      console.log(
        `round ${round + 1}: csv-parse alone ${fmt(peers[round])} rows/s, import ${fmt(mine[round])} rows/s, import peak RSS +${fmt(o.extraMb)} MB`,
      );
    }
    const best = (values: number[]) => Math.max(...values);
    const ratio = best(mine) / best(peers);
    console.log(
      `adoption import of ${fmt(ROWS)} Okta rows: ${fmt(best(mine))} rows/s vs csv-parse alone ${fmt(best(peers))} rows/s = ${fmt(ratio)}× (target ≥ 0.5×); peak extra memory ${fmt(extraMb)} MB (target ≤ 100 MB)`,
    );
  } finally {
    rmSync(path, { force: true });
  }
});
