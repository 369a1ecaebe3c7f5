import { BlockList, isIP } from 'node:net';
import { badRequest } from '../kernel/errors.js';

export interface AddressEntry {
  address: string;
  enabled: boolean;
}

/**
 * Validates an IPv4/IPv6 address or CIDR range and returns its canonical text
 * (a bare address gets no prefix), or undefined when it is neither.
 */
export function normalizeAddress(value: string): string | undefined {
  const [host, prefix, extra] = value.trim().split('/');
  if (extra !== undefined || !host) return undefined;
  const family = isIP(host);
  if (family === 0) return undefined;
  if (prefix === undefined) return host.toLowerCase();
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > (family === 4 ? 32 : 128)) return undefined;
  return `${host.toLowerCase()}/${Number(prefix)}`;
}

function strip(address: string): { host: string; family: 'ipv4' | 'ipv6' } {
  // IPv4 clients reach a dual-stack socket as ::ffff:a.b.c.d.
  const host = address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
  return { host, family: isIP(host) === 6 ? 'ipv6' : 'ipv4' };
}

/**
 * Who a caller is, as far as counting failures goes: an IPv4 address, or the /64 network of an IPv6
 * address (one host commonly holds a whole /64, so counting single addresses would let it rotate).
 */
export function callerNetwork(address: string): string {
  const { host, family } = strip(address);
  if (family !== 'ipv6') return host;
  return `${ipv6Groups(host).slice(0, 4).join(':')}::/64`;
}

/** The eight groups of an IPv6 address, without leading zeros (a trailing dotted IPv4 part becomes two groups). */
function ipv6Groups(address: string): string[] {
  const bare = address.split('%')[0]!.toLowerCase();
  const toGroups = (part: string) =>
    part === ''
      ? []
      : part.split(':').flatMap((group) => {
          if (!group.includes('.')) return [group];
          const [a, b, c, d] = group.split('.').map(Number) as [number, number, number, number];
          return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
        });
  const [head, tail] = bare.split('::') as [string, string | undefined];
  const left = toGroups(head);
  const right = tail === undefined ? [] : toGroups(tail);
  const zeros = Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((group) => group.replace(/^0+(?=.)/, ''));
}

/** True when the address falls in any enabled entry. */
export function addressAllowed(entries: readonly AddressEntry[], address: string): boolean {
  const list = new BlockList();
  for (const entry of entries) {
    if (!entry.enabled) continue;
    const [host, prefix] = entry.address.split('/');
    const family = isIP(host!) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(host!, family);
    else list.addSubnet(host!, Number(prefix), family);
  }
  const { host, family } = strip(address);
  return isIP(host) !== 0 && list.check(host, family);
}

/** An entry of an IP access list, as stored. */
export interface AclEntry extends AddressEntry {
  description: string;
  updatedAt: string;
}

export interface AclEntryInput {
  address: string;
  description?: string;
  enabled?: boolean;
}

export const MAX_ACL_ENTRIES = 1000;

/** Validates entries as a client sent them; a bad address is a 400 that names it. */
export function parseAclEntries(input: readonly AclEntryInput[], updatedAt: string): AclEntry[] {
  if (input.length > MAX_ACL_ENTRIES) throw badRequest(`An access list holds at most ${MAX_ACL_ENTRIES} entries.`);
  return input.map((entry) => {
    const address = normalizeAddress(entry.address);
    if (!address) throw badRequest(`"${entry.address}" is not an IPv4 or IPv6 address or CIDR range.`);
    return { address, description: entry.description ?? '', enabled: entry.enabled ?? true, updatedAt };
  });
}
