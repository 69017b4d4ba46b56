import { parsePlanFile } from './plan-file';
import { aPhaseInput } from './testing/plan-inputs';

const serviceIds = new Set(['utokyo-vpn', 'utokyo-slack', 'utas']);
const policy = {
  id: 'mfa-mandatory',
  title: 'MFA',
  timezone: 'Asia/Tokyo',
  populations: ['faculty-staff', 'students'],
};
const revision = (overrides: Record<string, unknown> = {}) => ({
  summary: 'Make MFA mandatory',
  reason: 'Passwords are not enough',
  publishAt: '2024-02-28',
  phases: [aPhaseInput()],
  ...overrides,
});
const file = (overrides: Record<string, unknown> = {}) => ({ policy, revisions: [revision()], ...overrides });
const fieldsOf = (input: unknown) => {
  const sut = parsePlanFile(input, serviceIds);
  return sut.ok ? [] : sut.errors.map((error) => error.field);
};

describe(parsePlanFile.name, () => {
  it('gives the policy and revisions with instants in UTC and the plan validated', () => {
    const sut = parsePlanFile(
      file({
        revisions: [
          revision({
            sourceUrl: 'https://example.org/notice',
            author: 'cio',
            approvedBy: 'evp',
            mandatory: { since: '2024-02-28' },
          }),
        ],
      }),
      serviceIds,
    );
    expect(sut).toEqual({
      ok: true,
      value: {
        policy: { ...policy, requireApproval: true },
        revisions: [
          {
            summary: 'Make MFA mandatory',
            reason: 'Passwords are not enough',
            sourceUrl: 'https://example.org/notice',
            publishAt: '2024-02-27T15:00:00.000Z',
            author: 'cio',
            approvedBy: 'evp',
            plan: {
              mandatory: { since: '2024-02-28' },
              phases: [{ ...aPhaseInput(), state: 'active' }],
              standingRules: [],
            },
          },
        ],
      },
    });
  });

  it('reads approvedBy: null and author: null as naming nobody, as the README says', () => {
    const sut = parsePlanFile(
      file({ revisions: [revision({ author: null, approvedBy: null })] }),
      serviceIds,
    );
    expect(sut).toMatchObject({ ok: true, value: { revisions: [{ author: null, approvedBy: null }] } });
  });

  it.each([
    ['(root)', 'plan'],
    ['owner', file({ owner: 'x' })],
    ['policy', file({ policy: undefined })],
    ['policy.timezone', file({ policy: { ...policy, timezone: 'Tokyo' } })],
    ['policy.color', file({ policy: { ...policy, color: 'blue' } })],
    ['revisions', file({ revisions: {} })],
    ['revisions[0]', file({ revisions: ['r1'] })],
    ['revisions[0].summary', file({ revisions: [revision({ summary: '' })] })],
    ['revisions[0].reason', file({ revisions: [revision({ reason: undefined })] })],
    ['revisions[0].sourceUrl', file({ revisions: [revision({ sourceUrl: 'not a url' })] })],
    ['revisions[0].sourceUrl', file({ revisions: [revision({ sourceUrl: 'ftp://example.org' })] })],
    ['revisions[0].publishAt', file({ revisions: [revision({ publishAt: '2024-02-28T10:00' })] })],
    ['revisions[0].publishAt', file({ revisions: [revision({ publishAt: undefined })] })],
    ['revisions[0].author', file({ revisions: [revision({ author: '' })] })],
    ['revisions[0].approvedBy', file({ revisions: [revision({ author: 'cio', approvedBy: 'cio' })] })],
    ['revisions[0].status', file({ revisions: [revision({ status: 'published' })] })],
    ['revisions[1].publishAt', file({ revisions: [revision(), revision({ publishAt: '2024-01-01' })] })],
    [
      'revisions[1].phases[0].state',
      file({ revisions: [revision(), revision({ phases: [aPhaseInput({ state: 'paused' })] })] }),
    ],
    [
      'revisions[0].phases[0].scope.services[0]',
      file({ revisions: [revision({ phases: [aPhaseInput({ scope: { services: ['utol'] } })] })] }),
    ],
    [
      'revisions[0].phases[0].scope.populations[0]',
      file({
        revisions: [
          revision({ phases: [aPhaseInput({ scope: { services: ['utas'], populations: ['alumni'] } })] }),
        ],
      }),
    ],
  ])('reports %s', (field, input) => {
    expect(fieldsOf(input)).toEqual([field]);
  });

  it('still checks revisions against a policy with errors', () => {
    expect(
      fieldsOf(file({ policy: { ...policy, id: 'X' }, revisions: [revision({ summary: '' })] })),
    ).toEqual(['policy.id', 'revisions[0].summary']);
  });
});
