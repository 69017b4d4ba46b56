import { DateTime } from 'luxon';
import { SystemClock } from '@stepwise/common/clock';
import {
  admin,
  aRevision,
  countRows,
  eventually,
  givenDirectoryAndPolicy,
  listenForPlanChanges,
} from './planning-support';
import { revisionClient } from './revision-client';
import { bearer, startTestApi, TestApi } from './support/test-api';

describe('revision publication: stale bases, races, scheduling', () => {
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

  it('refuses to publish a draft whose base is no longer the newest published (STALE_BASE), then accepts a re-draft', async () => {
    const first = await rc.approved();
    const second = await rc.approved();
    await rc.act(first, 'publish', alice).expect(200);
    const stale = await rc.act(second, 'publish', alice).expect(409);
    expect(stale.body.code).toBe('STALE_BASE');
    expect((await sut.http.get(`${rc.base()}/${second}`).set(...admin)).body.status).toBe('approved');
    const redraft = await rc.approved();
    expect((await sut.http.get(`${rc.base()}/${redraft}`).set(...admin)).body.baseRevision).toBe(first);
    await rc.act(redraft, 'publish', alice).expect(200);
  });

  it('lets exactly one of two concurrent publications on one base win (20 runs)', async () => {
    for (let run = 0; run < 20; run += 1) {
      const id = await givenDirectoryAndPolicy(sut, { id: `race-${run}`, requireApproval: false });
      const [a, b] = [await rc.draft(alice, aRevision(), id), await rc.draft(bob, aRevision(), id)];
      const results = await Promise.all([
        rc.act(a, 'publish', alice, {}, id),
        rc.act(b, 'publish', bob, {}, id),
      ]);
      expect(results.map((res) => res.status).sort()).toEqual([200, 409]);
      const loser = results.find((res) => res.status === 409);
      expect(loser?.body.code).toBe('STALE_BASE');
      const winner = results[0].status === 200 ? a : b;
      expect(await rc.getPolicy(id)).toMatchObject({ latestPublished: winner, activeRevision: winner });
      expect(await countRows(sut, 'revisions', `policy_id = $1 AND status = 'published'`, [id])).toBe(1);
      expect(
        await countRows(sut, 'audit_events', `action = 'revision.published' AND resource_id LIKE $1`, [
          `${id}/%`,
        ]),
      ).toBe(1);
    }
  });

  describe('scheduled publication', () => {
    afterEach(() => jest.restoreAllMocks());

    it('takes over exactly at its publishAt, not before', async () => {
      const id = await givenDirectoryAndPolicy(sut, { id: 'scheduled', requireApproval: false });
      await rc.act(await rc.draft(alice, aRevision(), id), 'publish', alice, {}, id).expect(200);
      const now = DateTime.utc().startOf('second');
      const publishAt = now.plus({ days: 1 });
      const n = await rc.draft(alice, aRevision({ summary: 'tomorrow' }), id);
      const res = await rc.act(n, 'publish', alice, { publishAt: publishAt.toISO() }, id).expect(200);
      expect(res.body).toMatchObject({ status: 'published', publishAt: publishAt.toUTC().toISO() });
      expect(await rc.getPolicy(id)).toMatchObject({ activeRevision: 1, latestPublished: 2 });
      const clock = jest.spyOn(SystemClock.prototype, 'now');
      clock.mockReturnValue(publishAt.minus({ milliseconds: 1 }));
      expect((await rc.getPolicy(id)).activeRevision).toBe(1);
      clock.mockReturnValue(publishAt);
      expect((await rc.getPolicy(id)).activeRevision).toBe(2);
    });

    it('uses the draft publishAt by default, and refuses it once it has passed', async () => {
      const id = await givenDirectoryAndPolicy(sut, { id: 'draft-date', requireApproval: false });
      const publishAt = DateTime.utc().plus({ hours: 1 }).startOf('second');
      const n = await rc.draft(alice, aRevision({ publishAt: publishAt.toISO() }), id);
      jest.spyOn(SystemClock.prototype, 'now').mockReturnValue(publishAt.plus({ minutes: 1 }));
      const late = await rc.act(n, 'publish', alice, {}, id).expect(400);
      expect(late.body.fields[0].field).toBe('publishAt');
      jest.restoreAllMocks();
      const res = await rc.act(n, 'publish', alice, {}, id).expect(200);
      expect(res.body.publishAt).toBe(publishAt.toISO());
      expect(await rc.getPolicy(id)).toMatchObject({ activeRevision: null, latestPublished: n });
    });

    it('refuses a publishAt earlier than the revision it replaces', async () => {
      const id = await givenDirectoryAndPolicy(sut, { id: 'ordered', requireApproval: false });
      const later = DateTime.utc().plus({ days: 10 }).toISO();
      await rc
        .act(await rc.draft(alice, aRevision(), id), 'publish', alice, { publishAt: later }, id)
        .expect(200);
      const n = await rc.draft(alice, aRevision(), id);
      const res = await rc
        .act(n, 'publish', alice, { publishAt: DateTime.utc().plus({ days: 1 }).toISO() }, id)
        .expect(400);
      expect(res.body.message).toContain("revision 1's publishAt");
      // In the policy's zone with its offset, as the planner wrote dates, not as a UTC instant.
      expect(res.body.message).toMatch(
        /\(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d \([A-Za-z_/]+\)\)$/,
      );
    });
  });

  it('announces a publication on the plan-changed channel', async () => {
    const id = await givenDirectoryAndPolicy(sut, { id: 'noticed', requireApproval: false });
    const n = await rc.draft(alice, aRevision(), id);
    const listener = await listenForPlanChanges(sut);
    try {
      await rc.act(n, 'publish', alice, {}, id).expect(200);
      await eventually(() => listener.messages.length > 0, 'a plan-changed notice');
      expect(listener.messages).toEqual([{ kind: 'policy', id }]);
    } finally {
      listener.close();
    }
  });
});
