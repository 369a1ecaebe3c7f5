import type { Sealer } from './sealer.js';

/** What callers see in place of a stored secret. */
const MASK = '********';

type Config = Record<string, unknown>;

/**
 * Seals the named fields of a configuration before it is stored. A field sent back as the mask
 * (a client that read, changed and re-sent a configuration) keeps the secret already stored.
 */
export function sealFields(config: Config, fields: readonly string[], sealer: Sealer, previous?: Config): Config {
  const sealed: Config = { ...config };
  for (const field of fields) {
    const value = config[field];
    if (typeof value !== 'string') continue;
    sealed[field] = value === MASK && typeof previous?.[field] === 'string' ? previous[field] : sealer.seal(value);
  }
  return sealed;
}

/** A stored configuration as callers may see it: every sealed field masked. */
export function maskFields(config: Config, fields: readonly string[]): Config {
  const masked: Config = { ...config };
  for (const field of fields) if (typeof masked[field] === 'string') masked[field] = MASK;
  return masked;
}
