import { DateTime } from 'luxon';
import { admin, aRevision, auditCount, givenDirectoryAndPolicy } from './planning-support';
import { revisionClient } from './revision-client';
import { bearer, startTestApi, TestApi } from './support/test-api';

// Late recording (issue 24): with STEPWISE_LATE_RECORDING=on a planner records a decision taken
// earlier, a publishAt in the past, through four-eyes; the revision is flagged recordedLate.

describe('late recording: a past publishAt through four-eyes, when an admin allows it', () => {
  let sut: TestApi;
  let alice: [string, string];
  let bob: [string, string];
  let rc: ReturnType<typeof revisionClient>;

  beforeAll(async () => {
    sut = await startTestApi({ STEPWISE_LATE_RECORDING: 'on' });
    alice = bearer(await sut.token('planner'));
    bob = bearer(await sut.token('planner'));
    const policy = await givenDirectoryAndPolicy(sut, { requireApproval: false });
    rc = revisionClient(sut, { policy, author: alice, approver: bob });
  });

  afterAll(async () => {
    await sut.close();
  });

  const lastWeek = () => DateTime.now().setZone('Asia/Tokyo').minus({ days: 7 }).toISODate() ?? '';

  it('publishes a decision taken last week after four-eyes, flagged recordedLate, the plan date kept', async () => {
    // An unrelated draft, withdrawn: it never blocks a late recording.
    const withdrawn = await rc.draft();
    await rc.act(withdrawn, 'withdraw', alice, { reason: 'not this one' }).expect(200);
    const n = await rc.approved(aRevision({ summary: 'Decided last week', publishAt: lastWeek() }));
    const published = await rc.act(n, 'publish', alice, { reason: 'recorded late' }).expect(200);
    const takeover = DateTime.fromISO(lastWeek(), { zone: 'Asia/Tokyo' }).toUTC().toISO();
    expect(published.body).toMatchObject({
      status: 'published',
      recordedLate: true,
      imported: false,
      publishAt: takeover,
      approvedBy: { recordedFromFile: false },
    });
    const [event] = await sut.db.query<{ after: Record<string, unknown> }>(
      `SELECT after FROM audit_events WHERE action = 'revision.published' ORDER BY seq DESC LIMIT 1`,
    );
    expect(event.after).toMatchObject({ recordedLate: true });
  });

  it('refuses a past publishAt without four-eyes, even where drafts may publish directly', async () => {
    const before = await auditCount(sut, 'revision.published');
    const n = await rc.draft(alice, aRevision({ publishAt: lastWeek() }));
    const res = await rc.act(n, 'publish', alice).expect(409);
    expect(res.body).toMatchObject({ code: 'WRONG_STATE' });
    expect(res.body.message).toMatch(/approval/);
    expect(res.body.message).toMatch(/\+09:00 \(Asia\/Tokyo\)/);
    expect(await auditCount(sut, 'revision.published')).toBe(before);
    expect((await sut.http.get(`${rc.base()}/${n}`).set(...admin)).body.status).toBe('draft');
  });

  it('publishes an ordinary revision unflagged', async () => {
    const n = await rc.draft();
    const res = await rc.act(n, 'publish', alice).expect(200);
    expect(res.body.recordedLate).toBe(false);
  });
});
