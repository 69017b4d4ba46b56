import { admin, aRevision } from './planning-support';
import type { TestApi } from './support/test-api';

type Bearer = [string, string];

/**
 * Drives revisions through the API for the lifecycle suites. `author` drafts and submits,
 * `approver` (another planner token: four-eyes) approves; `policy` is the default policy.
 */
export function revisionClient(sut: TestApi, defaults: { policy: string; author: Bearer; approver: Bearer }) {
  const base = (id = defaults.policy) => `/api/v1/policies/${id}/revisions`;
  const draft = async (as = defaults.author, body = aRevision(), id = defaults.policy): Promise<number> =>
    (
      await sut.http
        .post(base(id))
        .set(...as)
        .send(body)
        .expect(201)
    ).body.number as number;
  const act = (n: number, action: string, as: Bearer, body: object = {}, id = defaults.policy) =>
    sut.http
      .post(`${base(id)}/${n}/${action}`)
      .set(...as)
      .send(body);
  const approved = async (body = aRevision(), id = defaults.policy): Promise<number> => {
    const n = await draft(defaults.author, body, id);
    await act(n, 'submit', defaults.author, {}, id).expect(200);
    await act(n, 'approve', defaults.approver, { reason: 'checked' }, id).expect(200);
    return n;
  };
  const getPolicy = async (id = defaults.policy) =>
    (
      await sut.http
        .get(`/api/v1/policies/${id}`)
        .set(...admin)
        .expect(200)
    ).body;
  const getRevision = async (n: number, id = defaults.policy) =>
    (
      await sut.http
        .get(`${base(id)}/${n}`)
        .set(...admin)
        .expect(200)
    ).body;
  return { base, draft, act, approved, getPolicy, getRevision };
}
