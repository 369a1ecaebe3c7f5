import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BenchPostgres } from './postgres.js';

/** Where a bench server keeps its state: the embedded SQLite store or the bench's PostgreSQL. */
export interface BenchStore {
  name: 'SQLite' | 'PostgreSQL';
  /** The environment of a server on a fresh, empty store of this kind; `cleanup` removes its files. */
  fresh(): Promise<{ env: Record<string, string>; dataDir: string; databaseUrl?: string; cleanup(): void }>;
}

export function benchStores(postgres: BenchPostgres): BenchStore[] {
  const make = (name: BenchStore['name']): BenchStore => ({
    name,
    async fresh() {
      const dataDir = mkdtempSync(path.join(os.tmpdir(), 'orrery-bench-'));
      const databaseUrl = name === 'PostgreSQL' ? await postgres.database() : undefined;
      return {
        env: { ORRERY_DATA_DIR: dataDir, ...(databaseUrl ? { ORRERY_DATABASE_URL: databaseUrl } : {}) },
        dataDir,
        databaseUrl,
        cleanup: () => rmSync(dataDir, { recursive: true, force: true }),
      };
    },
  });
  return [make('SQLite'), make('PostgreSQL')];
}

export function ratio(rps: number, baseline: { rps: number }): string {
  return `ratio ${(rps / baseline.rps).toFixed(2)}`;
}
