import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventually } from '../support/polling.js';
import { STORE, freshStore } from '../support/stores.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Runs `npm start` as a user would and returns npm's process and the server's own pid from its log. */
async function npmStart(dataDir: string) {
  const npm = spawn('npm', ['start', '--silent'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ORRERY_DATA_DIR: dataDir,
      ORRERY_PORT: '0',
      ORRERY_LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  npm.stdout.on('data', (d) => (out += d));
  npm.stderr.on('data', (d) => (out += d));
  const exited = new Promise<void>((resolve) => npm.on('exit', () => resolve()));
  const serverPid = await eventually(
    () => Number(/"pid":(\d+)[^\n]*"msg":"orrery is ready"/.exec(out)?.[1] ?? 0),
    () => `npm start to get ready:\n${out}`,
    { timeoutMs: 30_000, everyMs: 50 },
  );
  return { npm, serverPid, exited, output: () => out };
}

describe.skipIf(STORE !== 'sqlite')('npm start and signals', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('stops the server gracefully when npm gets %s', async (signal) => {
    const { dataDir } = await freshStore();
    const started = await npmStart(dataDir);
    expect(started.serverPid).not.toBe(started.npm.pid);
    started.npm.kill(signal);
    const deadline = Date.now() + 10_000;
    await Promise.race([started.exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    while (isAlive(started.serverPid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const orphaned = isAlive(started.serverPid);
    if (orphaned) process.kill(started.serverPid, 'SIGKILL');
    started.npm.kill('SIGKILL');
    expect(orphaned).toBe(false);
    expect(started.output()).toContain(`"signal":"${signal}","msg":"shutting down"`);
  });
});
