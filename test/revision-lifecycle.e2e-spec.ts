import { admin, aRevision, auditCount, footprint, givenDirectoryAndPolicy } from './planning-support';
import { revisionClient } from './revision-client';
import { bearer, startTestApi, TestApi } from './support/test-api';

describe('revision lifecycle', () => {
  let sut: TestApi;
  let alice: [string, string];
  let bob: [string, string];
  let policy: string;
  let rc: ReturnType<typeof revisionClient>;

  beforeAll(async () => {
    sut = await startTestApi();
    // Four-eyes needs two planners: tokens are told apart by id.
    alice = bearer(await sut.token('planner'));
    bob = bearer(await sut.token('planner'));
    policy = await givenDirectoryAndPolicy(sut);
    rc = revisionClient(sut, { policy, author: alice, approver: bob });
  });

  afterAll(async () => {
    await sut.close();
  });

  it('goes draft → submitted → approved → published, each step audited with its reason', async () => {
    const n = await rc.draft();
    await rc.act(n, 'submit', alice, { reason: 'ready for review' }).expect(200);
    const approval = await rc.act(n, 'approve', bob, { reason: 'matches the announcement' }).expect(200);
    expect(approval.body).toMatchObject({ status: 'approved', approvedBy: { name: expect.any(String) } });
    const published = await rc.act(n, 'publish', alice, { reason: 'announced today' }).expect(200);
    expect(published.body).toMatchObject({
      status: 'published',
      statusReason: 'announced today',
      imported: false,
    });
    expect(await rc.getPolicy()).toMatchObject({ activeRevision: n, latestPublished: n });
    const events = await sut.db.query<{ action: string; reason: string | null }>(
      `SELECT action, reason FROM audit_events WHERE resource_type = 'revision' AND resource_id = $1 ORDER BY seq`,
      [`${policy}/${n}`],
    );
    expect(events).toEqual([
      { action: 'revision.drafted', reason: 'Passwords alone no longer protect accounts' },
      { action: 'revision.submitted', reason: 'ready for review' },
      { action: 'revision.approved', reason: 'matches the announcement' },
      { action: 'revision.published', reason: 'announced today' },
    ]);
  });

  it('never lets the author approve (four-eyes): 403, nothing changes', async () => {
    const n = await rc.draft();
    await rc.act(n, 'submit', alice).expect(200);
    const before = { ...(await footprint(sut)), audit_events: 0 };
    const [approvals, denials] = [
      await auditCount(sut, 'revision.approved'),
      await auditCount(sut, 'auth.denied'),
    ];
    const res = await rc.act(n, 'approve', alice).expect(403);
    expect(res.body.message).toContain('four-eyes');
    expect((await sut.http.get(`${rc.base()}/${n}`).set(...admin)).body).toMatchObject({
      status: 'submitted',
      approvedBy: null,
    });
    // The refusal itself is audited (auth.denied); nothing else is written.
    expect({ ...(await footprint(sut)), audit_events: 0 }).toEqual(before);
    expect(await auditCount(sut, 'revision.approved')).toBe(approvals);
    expect(await auditCount(sut, 'auth.denied')).toBe(denials + 1);
    // Filed under the revision it concerns: the revision's own history shows the refusal.
    const history = await sut.http
      .get('/api/v1/audit')
      .query({ resourceType: 'revision', resourceId: `${policy}/${n}`, action: 'auth.denied' })
      .set(...admin)
      .expect(200);
    expect(history.body.items).toEqual([
      expect.objectContaining({ outcome: 'denied', reason: expect.stringContaining('four-eyes') }),
    ]);
    await rc.act(n, 'withdraw', alice, { reason: 'superseded' }).expect(200);
  });

  it.each([
    ['approve', 'draft', []],
    ['submit', 'submitted', ['submit']],
    ['publish', 'submitted', ['submit']],
    ['submit', 'withdrawn', ['withdraw']],
    ['approve', 'rejected', ['submit', 'reject']],
    ['publish', 'rejected', ['submit', 'reject']],
  ])('refuses %s of a %s revision with 409 WRONG_STATE', async (action, _state, path) => {
    const n = await rc.draft();
    for (const step of path) {
      await rc.act(n, step, step === 'approve' ? bob : alice, { reason: 'r' }).expect(200);
    }
    const before = await footprint(sut);
    const res = await rc.act(n, action, bob, { reason: 'r' }).expect(409);
    expect(res.body.code).toBe('WRONG_STATE');
    expect(await footprint(sut)).toEqual(before);
  });

  it('refuses to change a published revision: withdraw and reject are 409', async () => {
    const n = await rc.approved();
    await rc.act(n, 'publish', alice).expect(200);
    await rc.act(n, 'withdraw', alice, { reason: 'oops' }).expect(409);
    await rc.act(n, 'reject', bob, { reason: 'oops' }).expect(409);
  });

  it('needs a reason to reject', async () => {
    const n = await rc.draft();
    await rc.act(n, 'submit', alice).expect(200);
    const res = await rc.act(n, 'reject', bob).expect(400);
    expect(res.body.fields).toEqual([{ field: 'reason', message: expect.any(String) }]);
    await rc.act(n, 'reject', bob, { reason: 'step 2 date is wrong' }).expect(200);
  });

  it('publishes straight from a draft when the policy does not require approval', async () => {
    const id = await givenDirectoryAndPolicy(sut, { id: 'no-review', requireApproval: false });
    const n = await rc.draft(alice, aRevision(), id);
    await rc.act(n, 'publish', alice, {}, id).expect(200);
    expect(await rc.getPolicy(id)).toMatchObject({ activeRevision: 1 });
  });

  it('refuses a publishAt in the past with 400, changing nothing', async () => {
    const n = await rc.approved();
    const before = await footprint(sut);
    const before2 = await rc.getPolicy();
    const res = await rc.act(n, 'publish', alice, { publishAt: '2024-01-01T00:00:00Z' }).expect(400);
    expect(res.body.fields[0].field).toBe('publishAt');
    expect(await footprint(sut)).toEqual(before);
    expect(await rc.getPolicy()).toEqual(before2);
    await rc.act(n, 'withdraw', alice).expect(200);
  });

  it('lists and reads revisions for every role, and 404s unknown ones', async () => {
    const auditor = bearer(await sut.token('auditor'));
    const list = await sut.http
      .get(rc.base())
      .set(...auditor)
      .expect(200);
    // Newest first, down to revision 1, on one page (fewer than the default limit).
    const numbers = list.body.items.map((r: { number: number }) => r.number);
    expect(numbers.length).toBeGreaterThan(1);
    expect(numbers).toEqual(numbers.map((_: unknown, i: number) => numbers.length - i));
    expect(list.body.nextCursor).toBeNull();
    await sut.http
      .get(`${rc.base()}/999`)
      .set(...auditor)
      .expect(404);
    await sut.http
      .get(`${rc.base()}/abc`)
      .set(...auditor)
      .expect(400);
    await sut.http
      .get('/api/v1/policies/no-such/revisions')
      .set(...auditor)
      .expect(404);
  });

  it('diffs two revisions phase by phase, against the base by default', async () => {
    const id = await givenDirectoryAndPolicy(sut, { id: 'diffed', requireApproval: false });
    await rc.act(await rc.draft(alice, aRevision(), id), 'publish', alice, {}, id).expect(200);
    const changed = aRevision({
      phases: [{ ...(aRevision().phases as object[])[0], state: 'suspended', stateReason: 'not yet' }],
      standingRules: [],
    });
    const n = await rc.draft(alice, changed, id);
    const res = await sut.http
      .get(`${rc.base(id)}/${n}/diff`)
      .set(...admin)
      .expect(200);
    expect(res.body).toMatchObject({
      revision: 2,
      against: 1,
      statement: { status: 'unchanged' },
      phases: [
        {
          key: 'step-1',
          status: 'changed',
          changes: [
            { field: 'state', old: 'active', new: 'suspended' },
            { field: 'stateReason', old: null, new: 'not yet' },
          ],
        },
      ],
      standingRules: [{ on: 'mfa-ready', status: 'removed' }],
    });
    await sut.http
      .get(`${rc.base(id)}/${n}/diff?against=9`)
      .set(...admin)
      .expect(404);
    await sut.http
      .get(`${rc.base(id)}/${n}/diff?against=zero`)
      .set(...admin)
      .expect(400);
  });
});
