import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { FileAppliedState, type RulesDocument } from '@stepwise/connector';
import { FixedClock } from '@stepwise/common/clock';
import { AgentLog } from './agent-log';
import { RulesAgent } from './rules-agent';

const doc = (generation: number): RulesDocument => ({
  service: 'demo-portal',
  generation,
  hash: `sha256:${generation}`,
  computedAt: '2026-01-01T00:00:00.000Z',
  rules: [],
  nextChangeAt: null,
});

describe(RulesAgent.name, () => {
  let folder: string;
  const clock = new FixedClock(DateTime.fromISO('2026-12-01T00:00:00Z', { zone: 'utc' }));
  const log = new AgentLog(clock, 'error', () => undefined);
  const applied: number[] = [];
  const reports: [number, string][] = [];
  let failNext = false;
  const adapter = {
    name: 'fake',
    apply: async (document: RulesDocument) => {
      if (failNext) {
        failNext = false;
        throw new Error('configtest failed');
      }
      applied.push(document.generation);
    },
  };
  const reporter = {
    reportFailure: async (generation: number, error: string) => void reports.push([generation, error]),
  };
  const agentAt = async () => {
    const sut = new RulesAgent(
      adapter,
      new FileAppliedState(join(folder, 'state.json')),
      reporter,
      clock,
      log,
    );
    await sut.start();
    return sut;
  };

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'agent-'));
    applied.length = 0;
    reports.length = 0;
  });
  afterEach(() => rm(folder, { recursive: true, force: true }));

  it('applies each newer generation once, never an older one, and remembers across a restart', async () => {
    const sut = await agentAt();
    expect(await sut.offer(doc(2))).toBe('applied');
    expect(await sut.offer(doc(2))).toBe('already-applied');
    expect(await sut.offer(doc(1))).toBe('older');
    const restarted = await agentAt();
    expect(restarted.appliedGeneration).toBe(2);
    expect(await restarted.offer(doc(2))).toBe('already-applied');
    expect(await restarted.offer(doc(3))).toBe('applied');
    expect(applied).toEqual([2, 3]);
  });

  it('keeps the applied generation when the adapter fails, reports it, and applies it on the next offer', async () => {
    const sut = await agentAt();
    await sut.offer(doc(1));
    failNext = true;
    expect(await sut.offer(doc(2))).toBe('failed');
    expect(sut.status()).toMatchObject({
      appliedGeneration: 1,
      failedGeneration: 2,
      lastError: 'configtest failed',
    });
    await sut.reportLastFailure();
    expect(reports).toEqual([[2, 'configtest failed']]);
    expect((await agentAt()).appliedGeneration).toBe(1);
    expect(await sut.offer(doc(2))).toBe('applied');
    expect(sut.status()).toMatchObject({
      appliedGeneration: 2,
      lastError: null,
      appliedAt: '2026-12-01T00:00:00.000Z',
    });
  });

  it('applies concurrent offers one at a time, in order', async () => {
    const sut = await agentAt();
    const outcomes = await Promise.all([sut.offer(doc(1)), sut.offer(doc(3)), sut.offer(doc(2))]);
    expect(outcomes).toEqual(['applied', 'applied', 'older']);
    expect(applied).toEqual([1, 3]);
  });
});
