import type { PlanFile } from '@stepwise/domain/plan-file';
import type { PolicyEntity } from '@stepwise/persistence/policy.entity';
import type { RevisionEntity } from '@stepwise/persistence/revision.entity';
import { importConflicts, previewPlanImport } from './plan-import-planner';

const policy = { id: 'p', title: 'P', timezone: 'Asia/Tokyo', populations: ['all'], requireApproval: true };
const plan = { phases: [], standingRules: [] };
const fileRevision = (summary: string, publishAt: string) => ({
  summary,
  reason: 'why',
  sourceUrl: null,
  publishAt,
  author: null,
  approvedBy: null,
  plan,
});
const file: PlanFile = {
  policy,
  revisions: [
    fileRevision('one', '2024-02-27T15:00:00.000Z'),
    fileRevision('two', '2030-01-01T00:00:00.000Z'),
  ],
};
const stored = (number: number, summary: string, status = 'published'): RevisionEntity =>
  ({
    number,
    status,
    summary,
    reason: 'why',
    sourceUrl: null,
    publishAt: new Date(file.revisions[number - 1].publishAt),
    plan,
  }) as unknown as RevisionEntity;
const storedPolicy = (overrides: Partial<PolicyEntity> = {}) => ({ ...policy, ...overrides }) as PolicyEntity;
const now = new Date('2025-01-01T00:00:00Z');

describe(previewPlanImport.name, () => {
  it('creates the policy and adds every revision to an empty database, flagging past ones backdated', () => {
    const sut = previewPlanImport(file, null, [], now);
    expect(sut.policyAction).toBe('create');
    expect(sut.revisions.map((step) => [step.number, step.action, step.backdated])).toEqual([
      [1, 'add', true],
      [2, 'add', false],
    ]);
  });

  it('leaves what is already stored and adds only what is new', () => {
    const sut = previewPlanImport(file, storedPolicy(), [stored(1, 'one')], now);
    expect(sut.revisions.map((step) => step.action)).toEqual(['unchanged', 'add']);
    expect(importConflicts(sut)).toEqual([]);
  });

  it('refuses to rewrite a published revision, naming what differs', () => {
    const sut = previewPlanImport(file, storedPolicy(), [stored(1, 'changed')], now);
    expect(importConflicts(sut)).toEqual([
      expect.stringContaining('revision 1 is published and differs from revisions[0] (summary)'),
    ]);
  });

  it('refuses a file naming another approver than the one stored, and ignores an approver the file does not name', () => {
    const approvedBy = (name: string | null) => ({ ...stored(1, 'one'), approvedByName: name });
    const naming = (name: string) => ({ ...file, revisions: [{ ...file.revisions[0], approvedBy: name }] });
    expect(
      importConflicts(previewPlanImport(naming('Bob'), storedPolicy(), [approvedBy('Alice')], now)),
    ).toEqual([expect.stringContaining('differs from revisions[0] (approvedBy)')]);
    expect(
      importConflicts(previewPlanImport(naming('Alice'), storedPolicy(), [approvedBy('Alice')], now)),
    ).toEqual([]);
    expect(importConflicts(previewPlanImport(file, storedPolicy(), [approvedBy('system:cli')], now))).toEqual(
      [],
    );
  });

  it('refuses to take the number of an unpublished revision, and a policy stored differently', () => {
    const sut = previewPlanImport(file, storedPolicy({ timezone: 'UTC' }), [stored(1, 'one', 'draft')], now);
    expect(importConflicts(sut)).toEqual([
      expect.stringContaining('policy.timezone'),
      expect.stringContaining('revision 1 exists as a draft revision'),
    ]);
  });
});
