import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { admin, footprint } from './planning-support';
import { startTestApi, TestApi } from './support/test-api';

// The CLI runs the same planning services as the API (no HTTP), acting as system:cli.

type PlanFile = { policy: Record<string, unknown>; revisions: Record<string, unknown>[] };
const planFile = (): PlanFile => parse(readFileSync('config/plans/utokyo-mfa.yaml', 'utf8')) as PlanFile;

describe('CLI: seed, plan import/validate/diff, token create', () => {
  let sut: TestApi;
  let scratch: string;

  beforeAll(async () => {
    sut = await startTestApi();
    scratch = mkdtempSync(join(tmpdir(), 'stepwise-plan-'));
  });

  afterAll(async () => {
    rmSync(scratch, { recursive: true, force: true });
    await sut.close();
  });

  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ['dist/apps/cli/src/main.js', ...args], {
      env: { ...process.env, DATABASE_URL: sut.db.url, LOG_LEVEL: 'warn' },
      encoding: 'utf8',
      timeout: 30000,
    });
  const writePlan = (name: string, file: PlanFile): string => {
    const path = join(scratch, name);
    writeFileSync(path, stringify(file));
    return path;
  };

  it('seeds a fresh database: the directory, then policy mfa-mandatory with revisions 1 and 2', async () => {
    const run = cli('seed');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('config/services/utokyo.yaml: 9 service(s) registered');
    const revisions = await sut.http
      .get('/api/v1/policies/mfa-mandatory/revisions')
      .set(...admin)
      .expect(200);
    expect(
      revisions.body.items.map((r: Record<string, unknown>) => [r.number, r.status, r.publishAt]),
    ).toEqual([
      [2, 'published', '2024-08-28T15:00:00.000Z'],
      [1, 'published', '2024-02-27T15:00:00.000Z'],
    ]);
    // The seed file names no approver: none is recorded, and the importer is not taken for one.
    for (const revision of revisions.body.items) {
      expect(revision).toMatchObject({ author: { id: 'system:cli' }, approvedBy: null });
    }
  });

  it('seeds a database that was never migrated: migrations first, then the files', async () => {
    const name = `${sut.db.name}_empty`;
    await sut.db.query(`CREATE DATABASE ${name}`);
    const url = new URL(sut.db.url);
    url.pathname = `/${name}`;
    try {
      const run = spawnSync(process.execPath, ['dist/apps/cli/src/main.js', 'seed'], {
        env: { ...process.env, DATABASE_URL: url.toString(), LOG_LEVEL: 'warn' },
        encoding: 'utf8',
        timeout: 60000,
      });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/^migrations applied: [1-9]\d*\n/);
      expect(run.stdout).toContain('config/services/utokyo.yaml: 9 service(s) registered');
    } finally {
      await sut.db.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  });

  it('seeds idempotently: a second run adds nothing', async () => {
    const before = await footprint(sut);
    const run = cli('seed');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(
      'config/plans/utokyo-mfa.yaml: policy mfa-mandatory: nothing added; 2 unchanged',
    );
    expect(await footprint(sut)).toEqual(before);
  });

  it('plan diff shows what an import would add and refuse, writing nothing, exit 1 when refused', async () => {
    const file = planFile();
    file.revisions[0].reason = 'rewritten';
    file.revisions.push(structuredClone(file.revisions[1]), structuredClone(file.revisions[1]));
    const before = await footprint(sut);
    const run = cli('plan', 'diff', writePlan('changed.yaml', file));
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/revision 1 .*REFUSED: revision 1 is published and differs .*\(reason\)/);
    expect(run.stdout).toMatch(/revision 4 .*would be added/);
    expect(await footprint(sut)).toEqual(before);
  });

  it('plan validate reports each error by its path, also offline against a services file', () => {
    const ok = cli(
      'plan',
      'validate',
      'config/plans/utokyo-mfa.yaml',
      '--services-file',
      'config/services/utokyo.yaml',
    );
    expect([ok.status, ok.stdout]).toEqual([0, 'config/plans/utokyo-mfa.yaml: valid\n']);
    const file = planFile();
    (file.revisions[1].phases as Record<string, unknown>[])[2].state = 'paused';
    const bad = cli('plan', 'validate', writePlan('bad.yaml', file));
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain(
      'revisions[1].phases[2].state: must be one of: active, suspended, cancelled',
    );
  });

  it('plan import is audited as system:cli', async () => {
    const file = planFile();
    file.policy = { ...file.policy, id: 'mfa-cli' };
    const run = cli('plan', 'import', writePlan('copy.yaml', file));
    expect(run.status).toBe(0);
    const [event] = await sut.db.query<{ actor_id: string }>(
      `SELECT actor_id FROM audit_events WHERE action = 'plan.imported' AND resource_id = 'mfa-cli'`,
    );
    expect(event.actor_id).toBe('system:cli');
  });

  it('token create prints the secret once; it works, and only its hash is stored', async () => {
    const run = cli(
      'token',
      'create',
      '--name',
      'vpn owner',
      '--role',
      'service-owner',
      '--services',
      'utokyo-vpn',
    );
    expect(run.status).toBe(0);
    const secret = /secret \(shown once, store it now\): (\S+)/.exec(run.stdout)?.[1] ?? '';
    expect(secret).toMatch(/^sw_/);
    const list = await sut.http.get('/api/v1/services').set('authorization', `Bearer ${secret}`).expect(200);
    expect(list.body.items.map((s: { id: string }) => s.id)).toEqual(['utokyo-vpn']);
    const rows = await sut.db.query<{ token_hash: string }>(
      `SELECT token_hash FROM api_tokens WHERE name = 'vpn owner'`,
    );
    expect(rows[0].token_hash).not.toContain(secret);
    const refused = cli('token', 'create', '--name', 'x', '--role', 'connector');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('services');
    const twoServices = cli(...'token create --name x --role connector --services utas,utol'.split(' '));
    expect(twoServices.status).toBe(1);
    expect(twoServices.stderr).toBe(
      "refused (VALIDATION_FAILED): services: role 'connector' needs exactly one service id, got 2\n",
    );
    expect(await sut.db.query(`SELECT id FROM api_tokens WHERE name = 'x'`)).toEqual([]);
  });
});
