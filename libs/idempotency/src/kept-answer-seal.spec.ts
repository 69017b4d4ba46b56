import { SecretBox } from '@stepwise/connectors/secret-box';
import type { KeptAnswer } from '@stepwise/persistence/idempotency-key.entity';
import { AnswerOwner, KeptAnswerSeal } from './kept-answer-seal';

const KEY = 'a-test-key-of-at-least-thirty-two-chars';
const TOKEN = 'sw_7bJk2mQ9xLr4TzVw0pYc';

/** Flips one bit of the ciphertext (the last part of `v1.<iv>.<tag>.<ciphertext>`). */
function tamper(sealed: string): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[3], 'base64');
  bytes[0] ^= 0x01;
  parts[3] = bytes.toString('base64');
  return parts.join('.');
}

const anOwner = (overrides: Partial<AnswerOwner> = {}): AnswerOwner => ({
  principalId: 'token-1',
  key: 'tok-1',
  ...overrides,
});
const anAnswer = (overrides: Partial<KeptAnswer> = {}): KeptAnswer => ({
  body: { id: 'a1b2', token: TOKEN },
  headers: { etag: '"1"', location: '/api/v1/tokens/a1b2' },
  ...overrides,
});

describe(KeptAnswerSeal.name, () => {
  const sut = new KeptAnswerSeal(new SecretBox(KEY));

  it('keeps no part of the answer in clear', () => {
    const sealed = sut.seal(anOwner(), anAnswer());
    const stored = JSON.stringify(sealed);
    expect(sealed.sealed).toMatch(/^v1\./);
    for (const clear of [TOKEN, 'a1b2', 'tok-1', 'token-1', 'etag']) {
      expect(stored).not.toContain(clear);
    }
  });

  it('opens to the same body and headers, including a null body and non-ASCII text', () => {
    for (const answer of [
      anAnswer(),
      anAnswer({ body: null, headers: {} }),
      anAnswer({ body: { name: '東京 ✓' } }),
    ]) {
      expect(sut.open(anOwner(), sut.seal(anOwner(), answer))).toEqual(answer);
    }
  });

  it('opens what another instance with the same key sealed', () => {
    const other = new KeptAnswerSeal(new SecretBox(KEY));
    expect(other.open(anOwner(), sut.seal(anOwner(), anAnswer()))).toEqual(anAnswer());
  });

  it('cannot open an answer sealed under another key', () => {
    const rekeyed = new KeptAnswerSeal(new SecretBox(`${KEY}-other`));
    expect(rekeyed.open(anOwner(), sut.seal(anOwner(), anAnswer()))).toBeNull();
  });

  it.each([
    ['another token', anOwner({ principalId: 'token-2' })],
    ['another key', anOwner({ key: 'tok-2' })],
  ])('cannot open an answer copied to %s', (_case, owner) => {
    expect(sut.open(owner, sut.seal(anOwner(), anAnswer()))).toBeNull();
  });

  it.each([
    ['an altered value', tamper],
    ['a malformed value', () => 'v1.not-sealed'],
    ['a sealed value that is not an answer', () => new SecretBox(KEY).encrypt('whsec_abc')],
  ])('cannot open %s', (_case, alter) => {
    const { sealed } = sut.seal(anOwner(), anAnswer());
    expect(sut.open(anOwner(), { sealed: alter(sealed) })).toBeNull();
  });

  it('replays an answer kept in clear before answers were sealed', () => {
    expect(sut.open(anOwner(), anAnswer())).toEqual(anAnswer());
  });

  it('cannot open a stored value that is neither sealed nor an answer', () => {
    expect(sut.open(anOwner(), { headers: {} } as unknown as KeptAnswer)).toBeNull();
  });
});
