import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { admin, auditCount, eventually, footprint, listenForPlanChanges } from './planning-support';
import { bearer, startTestApi, TestApi } from './support/test-api';

// Expected instants are read off the announcement: dates are midnight in Asia/Tokyo.
const TOKYO_2024_02_20 = '2024-02-19T15:00:00.000Z';
const TOKYO_2024_02_28 = '2024-02-27T15:00:00.000Z';
const TOKYO_2024_08_29 = '2024-08-28T15:00:00.000Z';

const SERVICES_YAML = readFileSync('config/services/utokyo.yaml', 'utf8');
const PLAN_YAML = readFileSync('config/plans/utokyo-mfa.yaml', 'utf8');

type PlanFile = { policy: Record<string, unknown>; revisions: Record<string, unknown>[] };
const planFile = (): PlanFile => parse(PLAN_YAML) as PlanFile;

describe('plan files', () => {
  let sut: TestApi;

  beforeAll(async () => {
    sut = await startTestApi();
  });

  afterAll(async () => {
    await sut.close();
  });

  const importYaml = (content: string, type = 'application/yaml', as = admin) =>
    sut.http
      .post('/api/v1/plans/import')
      .set(...as)
      .set('content-type', type)
      .send(content);
  const revision = async (n: number) =>
    (
      await sut.http
        .get(`/api/v1/policies/mfa-mandatory/revisions/${n}`)
        .set(...admin)
        .expect(200)
    ).body;

  it('refuses a plan naming services the directory does not have, storing nothing', async () => {
    const before = await footprint(sut);
    const res = await importYaml(PLAN_YAML).expect(400);
    expect(res.body.fields).toContainEqual({
      field: 'revisions[0].phases[0].scope.services[0]',
      message: "unknown service 'utokyo-vpn'",
    });
    expect(await footprint(sut)).toEqual(before);
  });

  it('loads the seed directory backdated to its dates, so history sees it as it was', async () => {
    const res = await importYaml(SERVICES_YAML).expect(200);
    expect(res.body.created).toEqual(
      expect.arrayContaining(['utokyo-vpn', 'utas', 'utol', 'eccs-cloud-email']),
    );
    const eccs = await sut.http
      .get('/api/v1/services/eccs-cloud-email')
      .set(...admin)
      .expect(200);
    expect(eccs.body).toMatchObject({
      mfaCapability: 'ready',
      readySince: TOKYO_2024_02_20,
      recordedAt: TOKYO_2024_02_20,
      imported: true,
    });
    expect(eccs.body.capabilityHistory).toEqual([
      { mfaCapability: 'ready', effectiveAt: TOKYO_2024_02_20, recordedAt: TOKYO_2024_02_20, imported: true },
    ]);
    const example = await sut.http
      .get('/api/v1/services/example-lab-portal')
      .set(...admin)
      .expect(200);
    expect(example.body.mfaCapability).toBe('not-ready');
  });

  it('loads the seed plan: policy mfa-mandatory with revisions 1 (2024-02-28) and 2 (2024-08-29), backdated', async () => {
    const res = await importYaml(PLAN_YAML, 'text/yaml').expect(200);
    expect(res.body).toEqual({
      kind: 'plan',
      policy: 'mfa-mandatory',
      policyCreated: true,
      added: [1, 2],
      unchanged: [],
    });
    const policy = await sut.http
      .get('/api/v1/policies/mfa-mandatory')
      .set(...admin)
      .expect(200);
    expect(policy.body).toMatchObject({
      timezone: 'Asia/Tokyo',
      populations: ['faculty-staff', 'students'],
      requireApproval: true,
      activeRevision: 2,
    });
    // The file names no approver: none is stored, and the importer (the author) is not one.
    expect(await revision(1)).toMatchObject({
      status: 'published',
      publishAt: TOKYO_2024_02_28,
      imported: true,
      baseRevision: null,
      author: { id: 'bootstrap-admin', name: 'STEPWISE_ADMIN_TOKEN' },
      approvedBy: null,
    });
    expect(await revision(2)).toMatchObject({
      status: 'published',
      publishAt: TOKYO_2024_08_29,
      imported: true,
      baseRevision: 1,
      author: { id: 'bootstrap-admin', name: 'STEPWISE_ADMIN_TOKEN' },
      approvedBy: null,
    });
    const events = await sut.db.query<{ after: Record<string, unknown> }>(
      `SELECT after FROM audit_events WHERE action = 'revision.imported' ORDER BY seq`,
    );
    expect(events.map((event) => event.after)).toEqual([
      expect.objectContaining({ number: 1, approvedBy: null, fileAuthor: null }),
      expect.objectContaining({ number: 2, approvedBy: null, fileAuthor: null }),
    ]);
  });

  it('diffs the seed revision 2 against 1: steps 3 and 4 suspended, steps 1 and 2 unchanged', async () => {
    const res = await sut.http
      .get('/api/v1/policies/mfa-mandatory/revisions/2/diff?against=1')
      .set(...admin)
      .expect(200);
    const byKey = Object.fromEntries(res.body.phases.map((phase: { key: string }) => [phase.key, phase]));
    expect(byKey['step-1']).toEqual({ key: 'step-1', status: 'unchanged' });
    expect(byKey['step-2']).toEqual({ key: 'step-2', status: 'unchanged' });
    for (const key of ['step-3', 'step-4']) {
      expect(byKey[key].status).toBe('changed');
      expect(byKey[key].changes).toContainEqual({ field: 'state', old: 'active', new: 'suspended' });
    }
    expect(res.body.statement).toEqual({ status: 'unchanged' });
  });

  it('adds nothing when the same files are imported again (YAML or JSON), not even an audit event', async () => {
    const before = await footprint(sut);
    const again = await importYaml(PLAN_YAML).expect(200);
    expect(again.body).toEqual({
      kind: 'plan',
      policy: 'mfa-mandatory',
      policyCreated: false,
      added: [],
      unchanged: [1, 2],
    });
    await sut.http
      .post('/api/v1/plans/import')
      .set(...admin)
      .send(planFile())
      .expect(200);
    expect((await importYaml(SERVICES_YAML).expect(200)).body.created).toEqual([]);
    expect(await footprint(sut)).toEqual(before);
  });

  it('adds only the new revision of a changed file, audited', async () => {
    const file = planFile();
    const third: Record<string, unknown> = {
      ...structuredClone(file.revisions[1]),
      summary: 'Resume step 4 in 2031',
      publishAt: '2031-04-01',
      author: 'cio-office',
      approvedBy: 'evp-information',
    };
    const phases = third.phases as Record<string, unknown>[];
    phases[3] = { ...phases[3], state: 'active', effective: { at: '2031-04-01' } };
    delete phases[3].stateReason;
    file.revisions.push(third);
    const before = await footprint(sut);
    const imported = await auditCount(sut, 'revision.imported');
    const res = await importYaml(stringify(file)).expect(200);
    expect(res.body).toMatchObject({ added: [3], unchanged: [1, 2] });
    expect(await footprint(sut)).toMatchObject({
      revisions: before.revisions + 1,
      policies: before.policies,
    });
    expect(await auditCount(sut, 'revision.imported')).toBe(imported + 1);
    // A future publishAt is a scheduled publication, not a backdated one. The approver the file
    // names is stored by name (no token id); the importer stays the author.
    const stored = await revision(3);
    expect(stored).toMatchObject({
      publishAt: '2031-03-31T15:00:00.000Z',
      imported: false,
      baseRevision: 2,
      author: { id: 'bootstrap-admin', name: 'STEPWISE_ADMIN_TOKEN' },
      approvedBy: { id: null, name: 'evp-information', recordedFromFile: true },
    });
    expect(stored.approvedBy.name).not.toBe(stored.author.name);
    const [event] = await sut.db.query<{ after: Record<string, unknown> }>(
      `SELECT after FROM audit_events WHERE action = 'revision.imported' AND resource_id = 'mfa-mandatory/3'`,
    );
    expect(event.after).toMatchObject({
      approvedBy: { id: null, name: 'evp-information' },
      fileAuthor: 'cio-office',
    });
    expect((await sut.http.get('/api/v1/policies/mfa-mandatory').set(...admin)).body).toMatchObject({
      activeRevision: 2,
      latestPublished: 3,
    });
  });

  it.each([
    [
      'a published revision rewritten',
      (file: PlanFile) => (file.revisions[0].summary = 'Something else'),
      'revision 1 is published',
    ],
    [
      'the policy timezone changed',
      (file: PlanFile) => (file.policy.timezone = 'Europe/Paris'),
      'policy.timezone',
    ],
  ])('refuses %s with 409, storing nothing', async (_what, change, message) => {
    const file = planFile();
    change(file);
    const before = await footprint(sut);
    const res = await importYaml(stringify(file)).expect(409);
    expect(res.body.message).toContain(message);
    expect(await footprint(sut)).toEqual(before);
  });

  it('refuses an invalid file with 400 naming the field by its path in the file', async () => {
    const file = planFile();
    (file.revisions[1].phases as Record<string, unknown>[])[2].stateReason = undefined;
    file.revisions.push(structuredClone({ ...file.revisions[1], publishAt: '2024-08-29T00:00' }));
    const before = await footprint(sut);
    const res = await importYaml(stringify(file)).expect(400);
    const fields = res.body.fields.map((error: { field: string }) => error.field);
    expect(fields).toEqual(
      expect.arrayContaining(['revisions[1].phases[2].stateReason', 'revisions[2].publishAt']),
    );
    expect(await footprint(sut)).toEqual(before);
  });

  it('refuses a YAML body that is not UTF-8 with 400 naming it, storing nothing', async () => {
    const before = await footprint(sut);
    const [head, tail] = PLAN_YAML.split('mfa-mandatory', 2);
    const res = await sut.http
      .post('/api/v1/plans/import')
      .set(...admin)
      .set('content-type', 'application/yaml')
      .send(
        Buffer.concat([
          Buffer.from(`${head}mfa`),
          Buffer.from([0xc0, 0xaf]),
          Buffer.from(`mandatory${tail}`),
        ]),
      )
      .expect(400);
    expect(res.body.message).toBe(
      `body: is not valid UTF-8: byte 0xc0 at offset ${Buffer.byteLength(head) + 3}`,
    );
    expect(await footprint(sut)).toEqual(before);
  });

  it('refuses malformed YAML with 400, and a non-admin with 403', async () => {
    const malformed = await importYaml('policy: [unclosed\n').expect(400);
    expect(malformed.body.message).toContain('YAML');
    await importYaml(PLAN_YAML, 'application/yaml', bearer(await sut.token('planner'))).expect(403);
  });

  it('announces an import that added something on the plan-changed channel', async () => {
    const file = planFile();
    file.policy = { ...file.policy, id: 'mfa-copy' };
    const listener = await listenForPlanChanges(sut);
    try {
      await importYaml(stringify(file)).expect(200);
      await eventually(() => listener.messages.length > 0, 'a plan-changed notice');
      expect(listener.messages).toEqual([{ kind: 'policy', id: 'mfa-copy' }]);
    } finally {
      listener.close();
    }
  });

  it('refuses a YAML body over the 1 MiB limit with 413, storing nothing', async () => {
    const before = await footprint(sut);
    const huge = `${PLAN_YAML}\n# ${'x'.repeat(1024 * 1024)}\n`;
    const res = await importYaml(huge).expect(413);
    expect(res.body.statusCode).toBe(413);
    expect(await footprint(sut)).toEqual(before);
  });
});
