import type { LookupAddress } from 'node:dns';
import { WebhookAllowlistError } from './webhook-allowlist';
import { ResolveHost, WebhookTargetPolicy } from './webhook-target-policy';

/** Stands in for DNS names we do not control; `localhost` uses the real resolver. */
function fakeResolver(answers: Record<string, string[]>): ResolveHost {
  return async (hostname) => {
    const addresses = answers[hostname];
    if (addresses === undefined) {
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    }
    return addresses.map((address): LookupAddress => ({
      address,
      family: address.includes(':') ? 6 : 4,
    }));
  };
}

const REFUSED_WITH_EMPTY_ALLOWLIST = [
  'http://127.0.0.1/',
  'http://0x7f.1/',
  'http://2130706433/',
  'http://[::ffff:7f00:1]/',
  'http://[::ffff:127.0.0.1]/',
  'http://0177.0.0.1/',
  'http://127.1/',
  'http://169.254.169.254/latest/meta-data/',
  'http://[fe80::1]/',
  'http://[::1]:8080/',
  'http://10.0.0.1/',
  'http://100.64.0.1/',
  'http://0.0.0.0/',
  'http://localhost/',
  'http://LOCALHOST./',
];

describe(WebhookTargetPolicy.name, () => {
  describe('with an empty allowlist', () => {
    const sut = WebhookTargetPolicy.fromAllowlist('');

    it.each(REFUSED_WITH_EMPTY_ALLOWLIST)('refuses %s at registration', async (url) => {
      const check = await sut.checkUrl(url);
      expect(check.ok).toBe(false);
    });

    it('says why a canonicalised literal is refused', async () => {
      expect(await sut.checkUrl('http://0x7f.1/')).toEqual({
        ok: false,
        reason: '127.0.0.1 is loopback and not in the allowlist',
      });
      expect(await sut.checkUrl('http://localhost/')).toEqual({
        ok: false,
        reason: 'localhost: 127.0.0.1 is loopback and not in the allowlist',
      });
    });

    it('accepts a public address literal without resolving anything', async () => {
      expect(await sut.checkUrl('http://93.184.215.14/')).toEqual({ ok: true });
      expect(await sut.checkUrl('https://[2606:4700::1]/hook')).toEqual({ ok: true });
    });

    it.each([
      ['ftp://93.184.215.14/', 'scheme ftp: is not http or https'],
      ['file:///etc/passwd', 'scheme file: is not http or https'],
      ['http://user:pass@93.184.215.14/', 'credentials in the URL are not allowed'],
      ['http://user@93.184.215.14/', 'credentials in the URL are not allowed'],
      ['not a url', 'not a valid URL'],
    ])('refuses %s', async (url, reason) => {
      expect(await sut.checkUrl(url)).toEqual({ ok: false, reason });
    });
  });

  describe('with a fake resolver', () => {
    const resolveHost = fakeResolver({
      'hooks.example.com': ['93.184.215.14', '2606:4700::1'],
      'mixed.example.com': ['93.184.215.14', '10.0.0.5'],
      'metadata.example.com': ['169.254.169.254'],
      'receiver.internal': ['10.1.2.3'],
    });

    it('accepts a hostname whose every address is public', async () => {
      const sut = WebhookTargetPolicy.fromAllowlist('', { resolveHost });
      expect(await sut.checkUrl('https://hooks.example.com/stepwise')).toEqual({ ok: true });
    });

    it('refuses a hostname when any one of its addresses is refused', async () => {
      const sut = WebhookTargetPolicy.fromAllowlist('', { resolveHost });
      expect(await sut.checkUrl('https://mixed.example.com/')).toEqual({
        ok: false,
        reason: 'mixed.example.com: 10.0.0.5 is private and not in the allowlist',
      });
    });

    it('refuses an unresolvable hostname with the reason', async () => {
      const sut = WebhookTargetPolicy.fromAllowlist('', { resolveHost });
      expect(await sut.checkUrl('https://nowhere.example.com/')).toEqual({
        ok: false,
        reason: 'nowhere.example.com could not be resolved (ENOTFOUND)',
      });
    });

    it('accepts a private address through its allow-listed hostname', async () => {
      const sut = WebhookTargetPolicy.fromAllowlist('receiver.internal', { resolveHost });
      expect(await sut.checkUrl('http://receiver.internal:8080/')).toEqual({ ok: true });
    });

    it('refuses link-local even for an allow-listed hostname', async () => {
      const sut = WebhookTargetPolicy.fromAllowlist('metadata.example.com', { resolveHost });
      expect((await sut.checkUrl('http://metadata.example.com/')).ok).toBe(false);
    });
  });

  describe('with allow-listed entries', () => {
    it.each(['127.0.0.0/8', '127.0.0.1', '127.0.0.1/32'])(
      'accepts 127.0.0.1 in every spelling when %s is listed',
      async (allowlist) => {
        const sut = WebhookTargetPolicy.fromAllowlist(allowlist);
        for (const url of ['http://127.0.0.1/', 'http://0x7f.1/', 'http://[::ffff:7f00:1]/']) {
          expect(await sut.checkUrl(url)).toEqual({ ok: true });
        }
        expect((await sut.checkUrl('http://10.0.0.1/')).ok).toBe(false);
      },
    );

    it('still refuses 169.254.169.254 when 169.254.0.0/16 is listed', async () => {
      const sut = WebhookTargetPolicy.fromAllowlist('169.254.0.0/16,fe80::/10,0.0.0.0/0');
      expect(await sut.checkUrl('http://169.254.169.254/')).toEqual({
        ok: false,
        reason: '169.254.169.254 is linkLocal and is never allowed',
      });
      expect((await sut.checkUrl('http://[fe80::1]/')).ok).toBe(false);
      expect((await sut.checkUrl('http://0.0.0.0/')).ok).toBe(false);
      expect((await sut.checkUrl('http://224.0.0.1/')).ok).toBe(false);
    });

    it('accepts localhost (real resolver) when localhost is listed', async () => {
      const sut = WebhookTargetPolicy.fromAllowlist('localhost');
      expect(await sut.checkUrl('http://localhost:3000/hook')).toEqual({ ok: true });
      expect((await sut.checkUrl('http://127.0.0.1:3000/hook')).ok).toBe(false);
    });
  });

  describe('checkAddress', () => {
    const sut = WebhookTargetPolicy.fromAllowlist('10.0.0.0/8,receiver.internal');

    it('decides by address, then by the hostname it was resolved for', () => {
      expect(sut.checkAddress('10.9.9.9').ok).toBe(true);
      expect(sut.checkAddress('192.168.0.1').ok).toBe(false);
      expect(sut.checkAddress('192.168.0.1', 'receiver.internal').ok).toBe(true);
      expect(sut.checkAddress('169.254.169.254', 'receiver.internal').ok).toBe(false);
      expect(sut.checkAddress('::ffff:10.0.0.1').ok).toBe(true);
      expect(sut.checkAddress('93.184.215.14').ok).toBe(true);
    });

    it('refuses text that is not an address', () => {
      expect(sut.checkAddress('receiver.internal')).toEqual({
        ok: false,
        reason: '"receiver.internal" is not an IP address',
      });
    });
  });

  it('fails to build from a bad allowlist, naming the entry', () => {
    expect(() => WebhookTargetPolicy.fromAllowlist('10.0.0.0/8,10.0.0.0/40')).toThrow(
      new WebhookAllowlistError('10.0.0.0/40', 'prefix length must be 0..32'),
    );
  });
});
