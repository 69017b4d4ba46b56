import { parseRulesDocument, strongestLevel } from './rules-document';

const document = (rules: unknown[]) => ({
  service: 'utas',
  generation: 7,
  hash: 'sha256:ab',
  computedAt: '2026-01-01T00:00:00.000Z',
  rules,
  nextChangeAt: null,
});
const rule = (population: string, level: unknown) => ({
  policy: 'mfa-mandatory',
  revision: 2,
  population,
  level,
  since: null,
  source: { kind: 'statement' },
});

describe(parseRulesDocument.name, () => {
  it('returns a well-formed document as is', () => {
    const input = document([rule('students', 'expected')]);
    expect(parseRulesDocument(input)).toBe(input);
  });

  it('names the field that is wrong', () => {
    expect(() => parseRulesDocument({ ...document([]), generation: 0 })).toThrow(
      'rules document: generation must be a positive integer',
    );
    expect(() => parseRulesDocument(document([rule('students', 7)]))).toThrow(
      'rules document: rules[0].level must be a non-empty string',
    );
    expect(() => parseRulesDocument([])).toThrow('expected a JSON object');
  });
});

describe(strongestLevel.name, () => {
  const sut = parseRulesDocument(
    document([
      rule('students', 'report-only'),
      rule('faculty-staff', 'enforced'),
      rule('guests', 'expected'),
    ]),
  );

  it('takes the strongest over all populations, or over those asked', () => {
    expect(strongestLevel(sut)).toBe('enforced');
    expect(strongestLevel(sut, ['students', 'guests'])).toBe('report-only');
    expect(strongestLevel(sut, ['nobody'])).toBe('none');
  });

  it('reads a level it does not know as the strongest it knows, never as weaker', () => {
    const future = parseRulesDocument(
      document([rule('students', 'block-everything'), rule('staff', 'none')]),
    );
    expect(future.rules[0].level).toBe('block-everything');
    expect(strongestLevel(future)).toBe('enforced');
    expect(strongestLevel(future, ['staff'])).toBe('none');
  });
});
