import { classifyIpAddress, parseIpAddress } from './ip-address-class';

function classify(text: string) {
  const address = parseIpAddress(text);
  if (address === null) {
    throw new Error(`unparsable ${text}`);
  }
  return classifyIpAddress(address);
}

describe(classifyIpAddress.name, () => {
  it.each([
    ['169.254.169.254'],
    ['169.254.0.1'],
    ['fe80::1'],
    ['0.0.0.0'],
    ['0.1.2.3'],
    ['::'],
    ['224.0.0.1'],
    ['ff02::1'],
    ['255.255.255.255'],
    ['::ffff:169.254.169.254'],
  ])('always refuses %s', (address) => {
    expect(classify(address)).toBe('always-refused');
  });

  it.each([
    ['127.0.0.1'],
    ['127.255.255.254'],
    ['::1'],
    ['10.1.2.3'],
    ['172.16.0.1'],
    ['172.31.255.255'],
    ['192.168.1.1'],
    ['100.64.0.1'],
    ['fc00::1'],
    ['fd00:ec2::254'],
    ['192.0.2.1'],
    ['64:ff9b::7f00:1'],
    ['::7f00:1'],
    ['::ffff:10.0.0.1'],
  ])('calls %s non-public', (address) => {
    expect(classify(address)).toBe('non-public');
  });

  it.each([['93.184.215.14'], ['8.8.8.8'], ['172.32.0.1'], ['2606:4700::1']])(
    'calls %s public',
    (address) => {
      expect(classify(address)).toBe('public');
    },
  );
});

describe(parseIpAddress.name, () => {
  it.each([
    ['::ffff:7f00:1', '127.0.0.1'],
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['[::ffff:7f00:1]', '127.0.0.1'],
    ['2130706433', '127.0.0.1'],
    ['0177.0.0.1', '127.0.0.1'],
    ['0x7f.1', '127.0.0.1'],
    ['127.1', '127.0.0.1'],
  ])('normalises %s to %s', (text, expected) => {
    expect(parseIpAddress(text)?.toString()).toBe(expected);
  });

  it('returns null for a hostname', () => {
    expect(parseIpAddress('localhost')).toBeNull();
  });
});
