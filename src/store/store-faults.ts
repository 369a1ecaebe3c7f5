/**
 * What a store error means for the caller, independent of the dialect:
 * - 'unreachable': the store cannot be reached or did not answer in time (PostgreSQL down, restarting,
 *   stalled, out of connections; SQLite locked by another writer). Retrying later can succeed.
 * - 'full': the store has no space left to write.
 * - 'unwritable': the store refuses writes for another reason (read-only file, permission denied, I/O error).
 * Anything else is not a store fault: a bug, or a refused value.
 */
export type StoreFault = 'unreachable' | 'full' | 'unwritable';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
// node-postgres reports lost connections and its own timeouts as plain errors with these messages.
const DRIVER_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout|connection timeout|Client has encountered a connection error|Connection ended/i;

export function storeFaultOf(error: unknown): StoreFault | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (code === 'SQLITE_FULL' || code === '53100' || code === 'ENOSPC') return 'full';
    // 25006: a read-only transaction, as on a PostgreSQL standby after a failover.
    if (
      /^SQLITE_(READONLY|IOERR|CANTOPEN|PERM|CORRUPT)/.test(code) ||
      ['EACCES', 'EROFS', '58030', '25006'].includes(code)
    )
      return 'unwritable';
    if (/^SQLITE_(BUSY|LOCKED)/.test(code) || NETWORK_CODES.has(code)) return 'unreachable';
    // PostgreSQL: connection exceptions (08), insufficient resources other than disk (53), operator
    // intervention such as a shutdown or a statement timeout (57).
    if (/^(08|53|57)[0-9A-Z]{3}$/.test(code)) return 'unreachable';
  }
  if (DRIVER_MESSAGES.test(error.message)) return 'unreachable';
  // A pool or driver wraps the socket error it hit.
  return error.cause === undefined ? undefined : storeFaultOf(error.cause);
}

/** The cause of a store fault in a few words, for logs and /ready; never includes data. */
export function describeFault(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
}
