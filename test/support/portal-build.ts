import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { PORTAL_DIR } from '../../src/portal/portal-routes.js';

const SOURCES = path.resolve('portal/src');
const LOCK = path.resolve('portal/.build-lock');

function newestSource(dir: string): number {
  return Math.max(
    ...readdirSync(dir, { withFileTypes: true }).map((entry) => {
      const full = path.join(dir, entry.name);
      // The generated API types change with every dump; the Portal's own sources decide staleness.
      if (entry.name === 'schema.ts') return 0;
      return entry.isDirectory() ? newestSource(full) : statSync(full).mtimeMs;
    }),
  );
}

function isCurrent(): boolean {
  const index = path.join(PORTAL_DIR, 'index.html');
  return existsSync(index) && statSync(index).mtimeMs >= newestSource(SOURCES);
}

/**
 * Builds the Portal before the browser tests when its build is missing or older than its sources.
 * Both stores' runs start together, so one builds while the other waits for it.
 */
export default async function setup(): Promise<void> {
  if (isCurrent()) return;
  try {
    mkdirSync(LOCK);
  } catch {
    const deadline = Date.now() + 180_000;
    while (existsSync(LOCK) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 500));
    return;
  }
  try {
    // Vitest sets NODE_ENV=test, which would give Vite React's development build: bigger and slower.
    execFileSync('npm', ['run', 'build:portal'], { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  } finally {
    rmdirSync(LOCK);
  }
}
