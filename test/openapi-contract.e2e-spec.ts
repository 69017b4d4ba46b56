import { OpenApiContract } from './support/openapi-contract';

// The checker every suite's answers go through (support/contract-check.ts) must be able to fail.
describe(OpenApiContract.name, () => {
  const sut = OpenApiContract.fromFile();
  const json = 'application/json; charset=utf-8';
  const policy = { id: 'mfa', title: 'MFA', timezone: 'Asia/Tokyo', populations: [] };

  it('documents every API operation with the one error shape for 401, 403 and 429', () => {
    const paths = sut.document.paths as Record<string, Record<string, { responses: object }>>;
    const missing = Object.entries(paths)
      .filter(([path]) => path.startsWith('/api/v1/'))
      .flatMap(([path, item]) =>
        Object.entries(item).flatMap(([method, op]) =>
          ['401', '403', '429'].filter((s) => !(s in op.responses)).map((s) => `${method} ${path} ${s}`),
        ),
      );
    expect(missing).toEqual([]);
  });

  it('refuses a status the operation does not document, naming method, path and status', () => {
    const violation = sut.violation({
      method: 'GET',
      url: '/api/v1/policies/mfa',
      status: 500,
      contentType: json,
      body: { statusCode: 500, error: 'Internal Server Error', message: 'x', code: 'UNEXPECTED' },
    });
    expect(violation).toContain('GET /api/v1/policies/mfa (GET /api/v1/policies/{id}) answered 500');
  });

  it('refuses a body off its schema: a missing code, an unknown field, a wrong type', () => {
    const error = { statusCode: 403, error: 'Forbidden', message: 'no' };
    expect(
      sut.violation({ method: 'POST', url: '/api/v1/tokens', status: 403, contentType: json, body: error }),
    ).toContain("must have required property 'code'");
    const extra = { statusCode: 403, error: 'Forbidden', message: 'no', code: 'FORBIDDEN', hint: 1 };
    expect(
      sut.violation({ method: 'POST', url: '/api/v1/tokens', status: 403, contentType: json, body: extra }),
    ).toContain("must NOT have additional properties 'hint'");
    expect(
      sut.violation({ method: 'GET', url: '/api/v1/schedule/feed', status: 200, contentType: json, body: 7 }),
    ).toContain('must be object');
  });

  it('accepts an answer that keeps the contract, a null approver included', () => {
    const person = { id: null, name: 'CIO office', recordedFromFile: true };
    const revision = (approvedBy: unknown) => ({
      policy: 'mfa',
      number: 1,
      status: 'published',
      summary: 's',
      reason: 'r',
      sourceUrl: null,
      publishAt: '2024-02-27T15:00:00.000Z',
      baseRevision: null,
      author: { id: 'a', name: 'aiko' },
      approvedBy,
      statusReason: null,
      imported: true,
      recordedLate: false,
      recordedAt: '2024-02-27T15:00:00.000Z',
      publishedAt: '2024-02-27T15:00:00.000Z',
      updatedAt: '2024-02-27T15:00:00.000Z',
      phases: [],
      standingRules: [],
    });
    for (const approvedBy of [null, person]) {
      const answer = {
        method: 'GET',
        url: '/api/v1/policies/mfa/revisions/1',
        status: 200,
        contentType: json,
      };
      expect(sut.violation({ ...answer, body: revision(approvedBy) })).toBeNull();
    }
    expect(
      sut.violation({
        method: 'GET',
        url: '/api/v1/policies/mfa',
        status: 404,
        contentType: json,
        body: policy,
      }),
    ).toContain('off its schema');
    expect(
      sut.violation({ method: 'GET', url: '/console/x', status: 500, contentType: json, body: {} }),
    ).toBeNull();
  });
});
