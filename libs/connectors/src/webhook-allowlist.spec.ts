import { parseIpAddress } from './ip-address-class';
import { WebhookAllowlist, WebhookAllowlistError } from './webhook-allowlist';

function contains(allowlist: WebhookAllowlist, text: string): boolean {
  const address = parseIpAddress(text);
  if (address === null) {
    throw new Error(`unparsable ${text}`);
  }
  return allowlist.containsAddress(address);
}

describe(WebhookAllowlist.name, () => {
  const sut = WebhookAllowlist.parse(' 127.0.0.1/32, receiver.internal ,10.0.0.0/8,,fd00::/8,192.168.1.5');

  it('matches addresses inside listed ranges and single addresses', () => {
    expect(contains(sut, '127.0.0.1')).toBe(true);
    expect(contains(sut, '10.200.3.4')).toBe(true);
    expect(contains(sut, 'fd12::1')).toBe(true);
    expect(contains(sut, '192.168.1.5')).toBe(true);
  });

  it('does not match addresses outside them', () => {
    expect(contains(sut, '127.0.0.2')).toBe(false);
    expect(contains(sut, '11.0.0.1')).toBe(false);
    expect(contains(sut, '192.168.1.6')).toBe(false);
    expect(contains(sut, '::1')).toBe(false);
  });

  it('matches hostnames exactly, ignoring case and a trailing dot', () => {
    expect(sut.hasHostname('receiver.internal')).toBe(true);
    expect(sut.hasHostname('Receiver.Internal.')).toBe(true);
    expect(sut.hasHostname('evil.receiver.internal')).toBe(false);
    expect(sut.hasHostname('internal')).toBe(false);
  });

  it('keeps an IPv4-mapped entry as the IPv4 range it maps', () => {
    const allowlist = WebhookAllowlist.parse('::ffff:10.0.0.0/104');
    expect(contains(allowlist, '10.9.9.9')).toBe(true);
    expect(contains(allowlist, '11.0.0.1')).toBe(false);
  });

  it('is empty for an unset or blank variable', () => {
    expect(contains(WebhookAllowlist.parse(undefined), '127.0.0.1')).toBe(false);
    expect(WebhookAllowlist.parse('  ').hasHostname('localhost')).toBe(false);
  });

  it.each([
    ['10.0.0.0/33'],
    ['10.0.0.0/'],
    ['10.0.0.0/8/8'],
    ['300.0.0.1/8'],
    ['fd00::/129'],
    ['0x7f.1'],
    ['2130706433'],
    ['http://receiver.internal'],
    ['receiver.internal:8080'],
    ['*.example.com'],
    ['bad host'],
  ])('rejects %s, naming the entry', (entry) => {
    const parse = () => WebhookAllowlist.parse(`127.0.0.1,${entry},localhost`);
    expect(parse).toThrow(WebhookAllowlistError);
    expect(parse).toThrow(`"${entry}"`);
  });
});
