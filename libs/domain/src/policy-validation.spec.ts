import { validatePolicyInput } from './policy-validation';

const valid = { id: 'mfa-mandatory', title: 'MFA is mandatory', timezone: 'Asia/Tokyo' };

const errorsOf = (input: unknown) => {
  const sut = validatePolicyInput(input);
  return sut.ok ? [] : sut.errors;
};

describe(validatePolicyInput.name, () => {
  it('fills populations and requireApproval defaults', () => {
    expect(validatePolicyInput(valid)).toEqual({
      ok: true,
      policy: { ...valid, populations: ['everyone'], requireApproval: true },
    });
  });

  it('keeps given populations and requireApproval and canonicalises the zone spelling', () => {
    const sut = validatePolicyInput({
      ...valid,
      timezone: 'asia/tokyo',
      populations: ['staff', 'students'],
      requireApproval: false,
    });
    expect(sut).toEqual({
      ok: true,
      policy: {
        ...valid,
        timezone: 'Asia/Tokyo',
        populations: ['staff', 'students'],
        requireApproval: false,
      },
    });
  });

  it.each([
    ['id', { ...valid, id: 'Bad_Id' }],
    ['id', { ...valid, id: 'a' }],
    ['id', { ...valid, id: '-lead' }],
    ['id', { title: 'x', timezone: 'UTC' }],
    ['title', { ...valid, title: '  ' }],
    ['timezone', { ...valid, timezone: 'Mars/Olympus' }],
    ['timezone', { ...valid, timezone: '+09:00' }],
    ['timezone', { ...valid, timezone: 9 }],
    ['populations', { ...valid, populations: [] }],
    ['populations', { ...valid, populations: 'students' }],
    ['populations[1]', { ...valid, populations: ['students', 'Staff!'] }],
    ['populations[1]', { ...valid, populations: ['students', 'students'] }],
    ['requireApproval', { ...valid, requireApproval: 'yes' }],
    ['owner', { ...valid, owner: 'cio' }],
  ])('reports %s', (field, input) => {
    expect(errorsOf(input)).toEqual([{ field, message: expect.any(String) }]);
  });

  it('refuses a non-object', () => {
    expect(errorsOf('mfa')).toEqual([{ field: '(root)', message: 'must be an object' }]);
  });

  it('reports every error at once', () => {
    expect(errorsOf({ id: 'X', title: '', timezone: 'Nowhere' }).map((error) => error.field)).toEqual([
      'id',
      'title',
      'timezone',
    ]);
  });
});
