/** IPv4 as a number, or undefined for anything else. */
function ipv4(value: string): number | undefined {
  const parts = value.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

/**
 * True when an access-list entry (an address or CIDR block) covers the address. IPv6 entries are
 * compared as written, so the warning errs on the side of speaking up.
 */
export function covers(entry: string, address: string): boolean {
  const plain = address.replace(/^::ffff:/, '');
  const [base, bits] = entry.split('/');
  const from = ipv4(base ?? '');
  const at = ipv4(plain);
  if (from === undefined || at === undefined) return entry === address || entry === plain;
  const prefix = bits === undefined ? 32 : Number(bits);
  if (prefix === 0) return true;
  const mask = 2 ** 32 - 2 ** (32 - prefix);
  return (from & mask) >>> 0 === (at & mask) >>> 0;
}
