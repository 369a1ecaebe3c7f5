import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, inject } from 'vitest';

export const STORE = (process.env.ORRERY_TEST_STORE ?? 'sqlite') as 'sqlite' | 'postgres';

export interface TestStore {
  dataDir: string;
  databaseUrl?: string;
}

const tempDirs: string[] = [];
// Registered when a test file first loads this module, so it runs after the file's own after-hooks (which close servers).
afterAll(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A new directory under the system's temp directory, removed when the test file ends. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `orrery-${prefix}-`));
  tempDirs.push(dir);
  return dir;
}

/** A fresh, empty store of the kind this project run tests: a temp directory, plus a new PostgreSQL database. */
export async function freshStore(): Promise<TestStore> {
  const dataDir = tempDir('test');
  if (STORE === 'sqlite') return { dataDir };
  const base = inject('postgresUrl');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: `${base}/postgres` });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return { dataDir, databaseUrl: `${base}/${name}` };
}
