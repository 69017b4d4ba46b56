import { rulesDocumentJson, toRulesDocument, webhookMessageId } from './rules-document.view';

const rules = [
  {
    policy: 'mfa-mandatory',
    revision: 2,
    population: 'students',
    level: 'expected' as const,
    since: '2024-02-27T15:00:00.000Z',
    plannedSince: '2024-02-27T15:00:00.000Z',
    source: { kind: 'statement' as const },
  },
];
const columns = {
  service_id: 'utas',
  generation: 7,
  hash: 'sha256:abc',
  next_change_at: new Date('2024-10-01T00:00:00+09:00'),
  computed_at: new Date('2024-09-01T00:00:00Z'),
};

describe(toRulesDocument.name, () => {
  it('composes the documented shape from the columns, instants in UTC ISO', () => {
    expect(JSON.stringify(toRulesDocument({ ...columns, rules }))).toBe(
      JSON.stringify({
        service: 'utas',
        generation: 7,
        hash: 'sha256:abc',
        computedAt: '2024-09-01T00:00:00.000Z',
        rules,
        nextChangeAt: '2024-09-30T15:00:00.000Z',
      }),
    );
  });
});

describe(rulesDocumentJson.name, () => {
  it('gives the bytes JSON.stringify gives for the same document, splicing in the stored rules text', () => {
    const stored = JSON.stringify(rules);
    for (const next_change_at of [columns.next_change_at, null]) {
      const row = { ...columns, next_change_at };
      expect(rulesDocumentJson({ ...row, rules_json: stored })).toBe(
        JSON.stringify(toRulesDocument({ ...row, rules })),
      );
    }
  });

  it('escapes what JSON must escape in the service id and hash', () => {
    const text = rulesDocumentJson({ ...columns, service_id: 'a"b', hash: 'h\\', rules_json: '[]' });
    expect(JSON.parse(text)).toMatchObject({ service: 'a"b', hash: 'h\\' });
  });
});

describe(webhookMessageId.name, () => {
  it('gives one webhook-id per service and generation', () => {
    expect(webhookMessageId('utas', 7)).toBe('utas-7');
  });
});
