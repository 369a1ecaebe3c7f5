import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';

export const STORE = (process.env.ORRERY_TEST_STORE ?? 'sqlite') as 'sqlite' | 'postgres';

export interface TestStore {
  dataDir: string;
  databaseUrl?: string;
}

/** A fresh, empty store of the kind this project run tests: a temp directory, plus a new PostgreSQL database. */
export async function freshStore(): Promise<TestStore> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'orrery-test-'));
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
