import { SecretBox } from './secret-box';

const KEY = 'a-test-key-of-at-least-thirty-two-chars';

function tamper(sealed: string, partIndex: number): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[partIndex], 'base64');
  bytes[0] ^= 0x01;
  parts[partIndex] = bytes.toString('base64');
  return parts.join('.');
}

describe(SecretBox.name, () => {
  const sut = new SecretBox(KEY);

  it('round-trips text, including non-ASCII', () => {
    for (const plain of ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', '', '東京大学 ✓']) {
      expect(sut.decrypt(sut.encrypt(plain))).toBe(plain);
    }
  });

  it('writes v1.<iv>.<tag>.<ciphertext> with a fresh 12-byte IV each time', () => {
    const first = sut.encrypt('secret');
    const second = sut.encrypt('secret');
    expect(first).toMatch(/^v1\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]*$/);
    expect(first).not.toBe(second);
    const [, iv, tag] = first.split('.');
    expect(Buffer.from(iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(tag, 'base64')).toHaveLength(16);
    expect(first).not.toContain(Buffer.from('secret').toString('base64'));
  });

  it.each([
    ['the IV', 1],
    ['the tag', 2],
    ['the ciphertext', 3],
  ])('throws when %s is tampered with', (_part, index) => {
    expect(() => sut.decrypt(tamper(sut.encrypt('secret'), index))).toThrow('authentication failed');
  });

  it('throws when opened with another key', () => {
    const other = new SecretBox(`${KEY}-other`);
    expect(() => other.decrypt(sut.encrypt('secret'))).toThrow('authentication failed');
  });

  it('decrypts what another instance with the same key sealed', () => {
    expect(new SecretBox(KEY).decrypt(sut.encrypt('secret'))).toBe('secret');
  });

  it.each(['secret', 'v2.a.b.c', 'v1.AAAA.AAAA.AAAA', 'v1.a.b'])('rejects malformed %s', (sealed) => {
    expect(() => sut.decrypt(sealed)).toThrow(/SecretBox/);
  });

  it('requires a key of at least 32 characters', () => {
    expect(() => new SecretBox('x'.repeat(31))).toThrow('STEPWISE_SECRET_KEY must be at least 32 characters');
    expect(() => new SecretBox('x'.repeat(32))).not.toThrow();
  });
});
