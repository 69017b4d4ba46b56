import fc from 'fast-check';
import { verifyNdjsonExport } from './audit-export-verifier';
import { toNdjsonLine } from './audit-ndjson';
import { validChain } from './testing/audit-chain.fixture';

const exportOf = (length: number): string[] =>
  validChain(length).map((event) => toNdjsonLine(event).trimEnd());

describe(verifyNdjsonExport.name, () => {
  it('verifies an intact export and reports the head to compare with the live one', async () => {
    const chain = validChain(12);
    expect(await verifyNdjsonExport(exportOf(12))).toEqual({
      ok: true,
      checked: 12,
      headSeq: 12,
      headHash: chain[11].hash,
    });
  });

  it('reads lines from an async source (a file being streamed)', async () => {
    async function* lines() {
      yield* exportOf(3);
    }
    expect(await verifyNdjsonExport(lines())).toMatchObject({ ok: true, headSeq: 3 });
  });

  it('detects any change to any field of any event, at that event', async () => {
    const lines = exportOf(8);
    const fields = ['occurredAt', 'action', 'resourceType', 'resourceId', 'reason', 'requestId', 'outcome'];
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 7 }),
        fc.constantFrom(...fields),
        fc.string(),
        async (index, field, value) => {
          const event = JSON.parse(lines[index]);
          fc.pre(event[field] !== value);
          const edited = [...lines];
          edited[index] = JSON.stringify({ ...event, [field]: value });
          expect(await verifyNdjsonExport(edited)).toMatchObject({ ok: false, firstBadSeq: index + 1 });
        },
      ),
    );
  });

  it('detects an edited snapshot or actor', async () => {
    const lines = exportOf(4);
    const event = JSON.parse(lines[1]);
    const snapshot = [...lines];
    snapshot[1] = JSON.stringify({ ...event, after: { ...event.after, note: 'changed' } });
    expect(await verifyNdjsonExport(snapshot)).toMatchObject({ ok: false, firstBadSeq: 2 });
    const actor = [...lines];
    actor[1] = JSON.stringify({ ...event, actor: { ...event.actor, role: 'auditor' } });
    expect(await verifyNdjsonExport(actor)).toMatchObject({ ok: false, firstBadSeq: 2 });
  });

  it('refuses a partial (filtered) export: the chain cannot be followed across the gap', async () => {
    const lines = exportOf(6).filter((_line, index) => index !== 3);
    expect(await verifyNdjsonExport(lines)).toMatchObject({ ok: false, firstBadSeq: 4, checked: 3 });
  });

  it.each([
    ['not JSON', '{"seq": 2,', 'not JSON'],
    ['an extra field', 'extra', 'not an event'],
    ['a missing field', 'missing', 'not an event'],
    ['a mistyped seq', 'seq', 'seq is not an integer'],
  ])('refuses a line with %s, naming the line', async (_label, change, reason) => {
    const lines = exportOf(3);
    const event = JSON.parse(lines[1]);
    const { hash: _hash, ...withoutHash } = event;
    const replacement: Record<string, string> = {
      extra: JSON.stringify({ ...event, note: 1 }),
      missing: JSON.stringify(withoutHash),
      seq: JSON.stringify({ ...event, seq: '2' }),
    };
    lines[1] = replacement[change] ?? change;
    const verdict = await verifyNdjsonExport(lines);
    expect(verdict).toMatchObject({ ok: false, firstBadSeq: 2, checked: 1 });
    expect(verdict).toHaveProperty('reason', expect.stringContaining(`line 2: ${reason}`));
  });
});
