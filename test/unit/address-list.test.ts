import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/kernel/errors.js';
import {
  addressAllowed,
  callerNetwork,
  MAX_ACL_ENTRIES,
  normalizeAddress,
  parseAclEntries,
} from '../../src/security/address-list.js';

describe('normalizeAddress', () => {
  const table: [input: string, canonical: string | undefined][] = [
    ['10.0.0.1', '10.0.0.1'],
    [' 10.0.0.1 ', '10.0.0.1'],
    ['10.0.0.0/8', '10.0.0.0/8'],
    ['10.0.0.0/0', '10.0.0.0/0'],
    ['10.0.0.0/32', '10.0.0.0/32'],
    ['10.0.0.0/33', undefined],
    ['10.0.0.0/008', '10.0.0.0/8'],
    ['10.0.0.0/1000', undefined],
    ['10.0.0.0/', undefined],
    ['10.0.0.0/-1', undefined],
    ['10.0.0.0/8a', undefined],
    ['10.0.0.0/8/8', undefined],
    ['2001:DB8::1', '2001:db8::1'],
    ['2001:DB8::/32', '2001:db8::/32'],
    ['2001:db8::/128', '2001:db8::/128'],
    ['2001:db8::/129', undefined],
    ['2001:db8::/33', '2001:db8::/33'],
    ['10.0.0.256', undefined],
    ['example.com', undefined],
    ['/8', undefined],
    ['', undefined],
  ];
  it.each(table)('%j is %j', (input, canonical) => {
    expect(normalizeAddress(input)).toBe(canonical);
  });
});

describe('addressAllowed', () => {
  const on = (address: string) => ({ address, enabled: true });
  const off = (address: string) => ({ address, enabled: false });
  const table: [label: string, entries: { address: string; enabled: boolean }[], address: string, allowed: boolean][] =
    [
      ['an empty list admits nobody', [], '10.0.0.1', false],
      ['an exact address', [on('10.0.0.1')], '10.0.0.1', true],
      ['a neighbour of an exact address', [on('10.0.0.1')], '10.0.0.2', false],
      ['inside a range', [on('10.0.0.0/24')], '10.0.0.200', true],
      ['just outside a range', [on('10.0.0.0/24')], '10.0.1.0', false],
      ['a disabled entry admits nobody', [off('10.0.0.0/24')], '10.0.0.5', false],
      ['a later enabled entry counts', [off('10.0.0.0/24'), on('10.0.0.5')], '10.0.0.5', true],
      ['an IPv4 client on a dual-stack socket', [on('10.0.0.0/24')], '::ffff:10.0.0.9', true],
      ['a mapped address outside the range', [on('10.0.0.0/24')], '::ffff:10.0.1.9', false],
      ['an IPv6 range', [on('2001:db8::/32')], '2001:db8:1::5', true],
      ['outside an IPv6 range', [on('2001:db8::/32')], '2001:db9::5', false],
      ['an exact IPv6 address', [on('2001:db8::1')], '2001:db8::1', true],
      ['an IPv6 client against an IPv4 entry', [on('10.0.0.1')], '2001:db8::1', false],
      ['not an address', [on('0.0.0.0/0')], 'somewhere', false],
      ['a /0 admits every IPv4 address', [on('0.0.0.0/0')], '198.51.100.7', true],
    ];
  it.each(table)('%s', (_label, entries, address, allowed) => {
    expect(addressAllowed(entries, address)).toBe(allowed);
  });
});

describe('parseAclEntries', () => {
  it('normalizes, defaults to enabled with no description, and stamps the time', () => {
    expect(
      parseAclEntries([{ address: '2001:DB8::/32' }, { address: '10.0.0.1', enabled: false, description: 'lab' }], 'T'),
    ).toEqual([
      { address: '2001:db8::/32', description: '', enabled: true, updatedAt: 'T' },
      { address: '10.0.0.1', description: 'lab', enabled: false, updatedAt: 'T' },
    ]);
  });

  it('names a bad address in a 400', () => {
    const error = (() => {
      try {
        parseAclEntries([{ address: '10.0.0.1' }, { address: 'nowhere' }], 'T');
      } catch (e) {
        return e as ApiError;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ApiError);
    expect(error!.statusCode).toBe(400);
    expect(error!.message).toBe('"nowhere" is not an IPv4 or IPv6 address or CIDR range.');
  });

  it('takes at most 1000 entries', () => {
    expect(MAX_ACL_ENTRIES).toBe(1000);
    const entries = Array.from({ length: 1000 }, () => ({ address: '10.0.0.1' }));
    expect(parseAclEntries(entries, 'T')).toHaveLength(1000);
    expect(() => parseAclEntries([...entries, { address: '10.0.0.1' }], 'T')).toThrow(
      'An access list holds at most 1000 entries.',
    );
  });
});

describe('callerNetwork', () => {
  // Failures are counted per IPv4 address and per IPv6 /64, written in one spelling whatever the input's.
  const table: [address: string, network: string][] = [
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['::ffff:abcd:1', '0:0:0:0::/64'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:db8:1:2::/64'],
    ['2001:0DB8:0001:1000:aaaa::1', '2001:db8:1:1000::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['2001:db8:1:2::', '2001:db8:1:2::/64'],
    ['::1', '0:0:0:0::/64'],
    ['::2001:db8:1:2:3', '0:0:0:2001::/64'],
    ['FE80::1%eth0', 'fe80:0:0:0::/64'],
    ['1::2:3:4:5:1.2.3.4', '1:0:2:3::/64'],
  ];
  it.each(table)('%s counts as %s', (address, network) => {
    expect(callerNetwork(address)).toBe(network);
  });
});
