import { readFileSync } from 'node:fs';
import { admin, countRows } from './planning-support';
import { seedDemo } from './support/seed';
import { bearer, startTestApi, TestApi } from './support/test-api';

// Adoption snapshots: import (CSV and JSON), re-import as a no-op, refusals, reads by role.

const GENERIC_CSV = [
  'population,asOf,eligible,registered,exempt',
  'students,2024-04-30T09:00:00+09:00,1000,940,0',
  'faculty-staff,2024-04-30T09:00:00+09:00,500,499,',
].join('\n');

describe('adoption snapshots', () => {
  let sut: TestApi;

  beforeAll(async () => {
    sut = await startTestApi();
    seedDemo(sut.db.url);
  });

  afterAll(async () => {
    await sut.close();
  });

  const importCsv = (body: string, as = admin, format?: string) =>
    sut.http
      .post(`/api/v1/adoption/snapshots${format === undefined ? '' : `?format=${format}`}`)
      .set(...as)
      .set('content-type', 'text/csv')
      .send(body);

  it('imports a generic CSV as counts, audited; the same file again adds nothing', async () => {
    const planner = bearer(await sut.token('planner'));
    const first = await importCsv(GENERIC_CSV, planner).expect(200);
    expect(first.body).toMatchObject({ unchanged: false, rows: 2, badRows: 0, format: 'generic' });
    expect(first.body.added).toEqual([
      expect.objectContaining({
        population: 'faculty-staff',
        eligible: 500,
        registered: 499,
        covered: 499,
        exempt: 0,
      }),
      expect.objectContaining({ population: 'students', asOf: '2024-04-30T00:00:00.000Z', registered: 940 }),
    ]);
    expect(await countRows(sut, 'audit_events', "action = 'adoption.snapshots-imported'")).toBe(1);
    const again = await importCsv(GENERIC_CSV, planner).expect(200);
    expect(again.body).toMatchObject({ unchanged: true, added: [] });
    expect(await countRows(sut, 'adoption_snapshots')).toBe(2);
    expect(await countRows(sut, 'audit_events', "action = 'adoption.snapshots-imported'")).toBe(1);
  });

  it('names bad rows by line and stores the good ones', async () => {
    const body = [
      'population,asOf,eligible,registered',
      'students,2024-05-01T09:00:00+09:00,1000,950',
      'alumni,2024-05-01T09:00:00+09:00,10,1',
      'students,2024-05-02T09:00:00,1000,950',
      'faculty-staff,2024-05-01,ten,1',
      'faculty-staff,2024-05-01,10,11',
    ].join('\n');
    const res = await importCsv(body).expect(200);
    expect(res.body.added).toHaveLength(1);
    expect(res.body.badRows).toBe(4);
    expect(res.body.bad.map((row: { line: number }) => row.line)).toEqual([3, 4, 5, 6]);
    expect(res.body.bad[0].message).toContain('alumni');
  });

  it('refuses a file with unknown or missing columns (400 naming them), storing nothing', async () => {
    const before = await countRows(sut, 'adoption_snapshots');
    const res = await importCsv('population,when,eligible,registered,extra\nstudents,x,1,1,1').expect(400);
    expect(res.body.fields).toEqual(
      expect.arrayContaining([
        { field: 'columns.when', message: expect.any(String) },
        { field: 'columns.extra', message: expect.any(String) },
        { field: 'columns.asOf', message: 'is missing' },
      ]),
    );
    await importCsv(GENERIC_CSV, admin, 'csv').expect(400);
    expect(await countRows(sut, 'adoption_snapshots')).toBe(before);
  });

  it('imports generic JSON the same way', async () => {
    const res = await sut.http
      .post('/api/v1/adoption/snapshots')
      .set(...admin)
      .send([{ population: 'students', asOf: '2024-05-03', eligible: 1000, registered: 960 }])
      .expect(200);
    expect(res.body.added[0]).toMatchObject({ population: 'students', registered: 960 });
  });

  it('shows the newest per population, history in pages; owners see totals only; connectors nothing', async () => {
    const auditor = bearer(await sut.token('auditor'));
    const overview = await sut.http
      .get('/api/v1/adoption')
      .set(...auditor)
      .expect(200);
    expect(overview.body.latest.map((s: { population: string }) => s.population)).toEqual([
      'faculty-staff',
      'students',
    ]);
    expect(overview.body.latest[1].registered).toBe(960);
    const then = await sut.http
      .get('/api/v1/adoption?asOf=2024-05-01')
      .set(...auditor)
      .expect(200);
    expect(then.body.latest).toEqual([]);
    const owner = bearer(await sut.token('service-owner', ['utas']));
    const forOwner = await sut.http
      .get('/api/v1/adoption')
      .set(...owner)
      .expect(200);
    expect(forOwner.body.latest).toBeUndefined();
    expect(forOwner.body.totals.eligible).toBe(1500);
    await sut.http
      .get('/api/v1/adoption/snapshots')
      .set(...owner)
      .expect(403);
    const page1 = await sut.http
      .get('/api/v1/adoption/snapshots?limit=2')
      .set(...auditor)
      .expect(200);
    expect(page1.body.items).toHaveLength(2);
    const page2 = await sut.http
      .get(`/api/v1/adoption/snapshots?limit=2&cursor=${page1.body.nextCursor}`)
      .set(...auditor)
      .expect(200);
    expect(page2.body.items.length).toBeGreaterThan(0);
    expect(page2.body.items[0].asOf <= page1.body.items[1].asOf).toBe(true);
    const connector = bearer(await sut.token('connector', ['utas']));
    await sut.http
      .get('/api/v1/adoption')
      .set(...connector)
      .expect(403);
    await importCsv(GENERIC_CSV, owner).expect(403);
  });

  const fixture = (name: string) => readFileSync(`test/fixtures/adoption/${name}`, 'utf8');
  const countsOf = (added: { population: string; eligible: number; registered: number }[]) =>
    Object.fromEntries(added.map((s) => [s.population, [s.eligible, s.registered]]));

  it.each([
    ['okta', 'okta-mfa-enrollment-by-user.csv', { disabled: 1, 'service-account': 1, unmapped: 1 }, [8]],
    ['entra', 'entra-user-registration-details.csv', {}, [5]],
    ['google', 'google-workspace-users.csv', { disabled: 1, 'service-account': 1 }, []],
  ])(
    'reduces a %s export (%s) to counts by the population mapping',
    async (format, file, leftOut, badLines) => {
      const res = await sut.http
        .post(`/api/v1/adoption/snapshots?format=${format}&asOf=2024-04-30T12:00:00Z`)
        .set(...admin)
        .set('content-type', 'text/csv')
        .send(fixture(file))
        .expect(200);
      expect(countsOf(res.body.added)).toEqual({ students: [2, 1], 'faculty-staff': [1, 1] });
      expect(res.body.added[0].asOf).toBe('2024-04-30T12:00:00.000Z');
      expect(res.body.leftOut).toEqual(leftOut);
      expect(res.body.bad.map((row: { line: number }) => row.line)).toEqual(badLines);
    },
  );

  it('reads an Entra userRegistrationDetails JSON page, leaving guests out', async () => {
    const res = await sut.http
      .post('/api/v1/adoption/snapshots?format=entra&asOf=2024-04-29')
      .set(...admin)
      .send(JSON.parse(fixture('entra-user-registration-details.json')))
      .expect(200);
    expect(countsOf(res.body.added)).toEqual({ students: [2, 1], 'faculty-staff': [1, 1] });
    expect(res.body.leftOut).toEqual({ guest: 1 });
  });

  it('refuses a vendor file whose columns are not the vendor layout', async () => {
    const res = await sut.http
      .post('/api/v1/adoption/snapshots?format=okta')
      .set(...admin)
      .set('content-type', 'text/csv')
      .send(fixture('generic.csv'))
      .expect(400);
    expect(res.body.fields).toContainEqual({ field: 'columns.User email', message: 'is missing' });
  });

  it('lends devices (one loan per serial), returns them, lists them, and counts active ones in covered', async () => {
    const planner = bearer(await sut.token('planner'));
    const lend = (body: Record<string, unknown>) =>
      sut.http
        .post('/api/v1/loans')
        .set(...planner)
        .send(body);
    const first = await lend({
      serial: 'YK-0001',
      borrower: 'p-7f3a',
      population: 'students',
      issuedAt: '2024-06-01',
      dueAt: '2024-09-01',
    }).expect(201);
    expect(first.body).toMatchObject({ serial: 'YK-0001', state: 'overdue' });
    await lend({ serial: 'YK-0001', borrower: 'p-9b21', population: 'students', dueAt: '2099-01-01' }).expect(
      409,
    );
    await lend({
      serial: 'YK-0002',
      borrower: 'p-9b21',
      population: 'students',
      issuedAt: '2024-06-01',
      dueAt: '2099-01-01',
    }).expect(201);
    const bad = await lend({
      serial: 'YK 3',
      borrower: 'Aiko Tanaka',
      population: 'alumni',
      dueAt: 'soon',
    }).expect(400);
    expect(bad.body.fields.map((f: { field: string }) => f.field)).toEqual([
      'serial',
      'borrower',
      'population',
      'dueAt',
    ]);
    const snapshot = await importCsv(
      'population,asOf,eligible,registered\nstudents,2024-07-01,1000,900\n',
      planner,
    ).expect(200);
    expect(snapshot.body.added[0]).toMatchObject({ registered: 900, covered: 902 });
    await sut.http
      .post(`/api/v1/loans/${first.body.id}/return`)
      .set(...planner)
      .expect(201);
    await sut.http
      .post(`/api/v1/loans/${first.body.id}/return`)
      .set(...planner)
      .expect(409);
    const auditor = bearer(await sut.token('auditor'));
    const active = await sut.http
      .get('/api/v1/loans?state=active&population=students')
      .set(...auditor)
      .expect(200);
    expect(active.body.items.map((l: { serial: string }) => l.serial)).toEqual(['YK-0002']);
    expect(active.body.inventory).toEqual({ active: 1, overdue: 0, returned: 1 });
    expect(await countRows(sut, 'audit_events', "action IN ('loan.issued', 'loan.returned')")).toBe(3);
    const owner = bearer(await sut.token('service-owner', ['utas']));
    await sut.http
      .get('/api/v1/loans')
      .set(...owner)
      .expect(403);
  });
});
