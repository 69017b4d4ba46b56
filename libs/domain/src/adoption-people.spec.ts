import { classifyPerson, readPopulationMapping } from './adoption-people';

const populations = new Set(['students', 'faculty-staff']);

describe(readPopulationMapping.name, () => {
  it.each([
    ['populations[0].population', { populations: [{ population: 'alumni', domain: 'x.jp' }] }],
    ['populations[0]', { populations: [{ population: 'students', domain: 'x.jp', group: 'S' }] }],
    ['serviceAccounts.pattern', { populations: [], serviceAccounts: { pattern: '(' } }],
    ['owner', { populations: [], owner: 'cio' }],
  ])('reports %s', (field, document) => {
    const sut = readPopulationMapping(document, populations);
    expect(sut.ok ? [] : sut.errors.map((e) => e.field)).toEqual([field]);
  });
});

describe(classifyPerson.name, () => {
  const read = readPopulationMapping(
    { populations: [{ population: 'students', group: '/Students' }], serviceAccounts: { pattern: '^svc-' } },
    populations,
  );
  const mapping = read.ok ? read.mapping : (undefined as never);

  it('matches an org unit and every unit under it, and leaves service accounts and the suspended out', () => {
    const person = (overrides: Record<string, string>) =>
      classifyPerson(
        {
          primaryEmail: 'a@x.jp',
          orgUnitPath: '/Students/2024',
          isEnrolledIn2Sv: 'true',
          suspended: 'false',
          ...overrides,
        },
        'google',
        mapping,
      );
    expect(person({})).toEqual({ kind: 'counted', population: 'students', registered: true });
    expect(person({ orgUnitPath: '/StudentsX' })).toEqual({ kind: 'left-out', why: 'unmapped' });
    expect(person({ primaryEmail: 'svc-x@x.jp' })).toEqual({ kind: 'left-out', why: 'service-account' });
    expect(person({ suspended: 'true' })).toEqual({ kind: 'left-out', why: 'disabled' });
    expect(person({ isEnrolledIn2Sv: 'perhaps' }).kind).toBe('bad');
  });
});
