import { readFileSync, rmSync, writeFileSync, closeSync, openSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { StartupError } from '../startup-error.js';

/**
 * Keeps a second server process off a data directory: two processes on one SQLite store would each
 * keep their own cache, so a revocation made through one would never reach the other. The lock is an
 * exclusive SQLite lock (an OS file lock) held open for the life of the process, so a crash releases it;
 * `orrery.pid` names the holder for the message.
 */
export function lockDataDir(dataDir: string): { release(): void } {
  const lockFile = path.join(dataDir, 'orrery.lock');
  const pidFile = path.join(dataDir, 'orrery.pid');
  closeSync(openSync(lockFile, 'a', 0o600));
  const lock = new SQLite(lockFile, { timeout: 0 });
  try {
    lock.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    lock.close();
    if (!/^SQLITE_(BUSY|LOCKED)/.test(String((error as { code?: unknown }).code))) throw error;
    let holder = '';
    try {
      holder = ` (pid ${readFileSync(pidFile, 'utf8').trim()})`;
    } catch {
      // The holder has not written its pid yet.
    }
    throw new StartupError(
      `another Orrery process${holder} is using the data directory ${dataDir}; stop it, or give this process its own ORRERY_DATA_DIR`,
    );
  }
  writeFileSync(pidFile, `${process.pid}\n`, { mode: 0o600 });
  return {
    release() {
      if (!lock.open) return;
      rmSync(pidFile, { force: true });
      lock.exec('ROLLBACK');
      lock.close();
    },
  };
}
