import fc from 'fast-check';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decide, FileAppliedState, type AppliedState } from './applied-state';
import type { RulesDocument } from './rules-document';

const doc = (generation: number): RulesDocument => ({
  service: 'utas',
  generation,
  hash: `sha256:${generation}`,
  computedAt: '2026-01-01T00:00:00.000Z',
  rules: [],
  nextChangeAt: null,
});

describe(decide.name, () => {
  it('applies only what is newer than the applied generation: never again, never backwards', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 1, max: 1e6 }), (applied, offered) => {
        const state: AppliedState = { service: 'utas', generation: applied, hash: 'sha256:x', appliedAt: '' };
        const decision = decide(doc(offered), state);
        expect(decision).toBe(
          offered > applied ? 'apply' : offered === applied ? 'already-applied' : 'older',
        );
      }),
    );
    expect(decide(doc(1), null)).toBe('apply');
  });
});

describe(FileAppliedState.name, () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'connector-state-'));
  });
  afterEach(() => rm(folder, { recursive: true, force: true }));

  it('has no state before the first save, and reads back what a new instance saved', async () => {
    const path = join(folder, 'nested', 'state.json');
    expect(await new FileAppliedState(path).load()).toBeNull();
    const state = { service: 'utas', generation: 4, hash: 'sha256:4', appliedAt: '2026-01-01T00:00:00.000Z' };
    await new FileAppliedState(path).save(state);
    expect(await new FileAppliedState(path).load()).toEqual(state);
    expect(await readdir(join(folder, 'nested'))).toEqual(['state.json']);
  });
});
