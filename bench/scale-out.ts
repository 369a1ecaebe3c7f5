import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { formatToken, generateClientId, generateSecret, secretDigest } from '../src/security/tokens.js';
import { ORGANIZATION_ADMINISTRATOR_ID } from '../src/iam/builtin-roles.js';
import { activeDatabase } from './fixtures.js';
import { DURATION_S, WARMUP_S, start } from './load.js';
import type { BenchPostgres } from './postgres.js';

const CONNECTIONS = 21;
/** The lifecycle's normal pace: a creation takes a few seconds, as on Astra, and runs in the background. */
const SETTLE_LIMIT_MS = 120_000;

/**
 * Every status change of every database, recorded by a trigger the bench adds (not part of Orrery), to
 * check afterwards that each database went through its creation exactly once.
 */
async function recordTransitions(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`CREATE TABLE bench_transitions (database_id TEXT, from_status TEXT, to_status TEXT)`);
    await client.query(`CREATE FUNCTION bench_transition() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
      IF OLD.status IS DISTINCT FROM NEW.status THEN
        INSERT INTO bench_transitions VALUES (NEW.id, OLD.status, NEW.status);
      END IF; RETURN NULL; END $$`);
    await client.query(
      `CREATE TRIGGER bench_transition AFTER UPDATE ON databases FOR EACH ROW EXECUTE FUNCTION bench_transition()`,
    );
  } finally {
    await client.end();
  }
}

/** Databases not yet ACTIVE, and databases that did not go PENDING → INITIALIZING → ACTIVE with each change once. */
async function lifecycleCheck(databaseUrl: string): Promise<{ waiting: number; wrong: number; checked: number }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const waiting = await client.query(`SELECT count(*)::int AS n FROM databases WHERE status <> 'ACTIVE'`);
    const checked = await client.query(`SELECT count(*)::int AS n FROM databases`);
    const wrong = await client.query(`SELECT count(*)::int AS n FROM (
        SELECT d.id FROM databases d LEFT JOIN bench_transitions t ON t.database_id = d.id
        GROUP BY d.id
        HAVING count(t.*) <> 2
          OR count(*) FILTER (WHERE t.from_status = 'PENDING' AND t.to_status = 'INITIALIZING') <> 1
          OR count(*) FILTER (WHERE t.from_status = 'INITIALIZING' AND t.to_status = 'ACTIVE') <> 1) odd`);
    return { waiting: waiting.rows[0].n, wrong: wrong.rows[0].n, checked: checked.rows[0].n };
  } finally {
    await client.end();
  }
}

/** Reads, token creations and database creations: per ten requests, eight reads, a token and a database. */
function mixedRequests(databaseId: string, admin: string) {
  const headers = { authorization: `Bearer ${admin}`, 'content-type': 'application/json' };
  const read = { method: 'GET' as const, path: `/v2/databases/${databaseId}`, headers };
  const org = { method: 'GET' as const, path: '/v2/currentOrg', headers };
  const token = {
    method: 'POST' as const,
    path: '/v2/tokens',
    headers,
    body: JSON.stringify({ roles: [ORGANIZATION_ADMINISTRATOR_ID] }),
  };
  const database = {
    method: 'POST' as const,
    path: '/v2/databases',
    headers,
    body: JSON.stringify({ name: 'scale', cloudProvider: 'GCP', region: 'us-east1' }),
  };
  return [read, org, read, org, token, read, org, read, org, database];
}

/** Drives the servers at once, the connections dealt round robin; total requests per second and non-2xx answers. */
async function drive(urls: string[], requests: ReturnType<typeof mixedRequests>, seconds: number) {
  const results = await Promise.all(
    urls.map((url) =>
      autocannon({ url, connections: Math.round(CONNECTIONS / urls.length), duration: seconds, requests }),
    ),
  );
  return {
    rps: results.reduce((sum, r) => sum + r.requests.average, 0),
    errors: results.reduce((sum, r) => sum + r.errors + r.non2xx, 0),
  };
}

/**
 * Scale out: the same mixed traffic against one Orrery process and against three on one PostgreSQL,
 * each running its background lifecycle, then the check that every database created was created
 * exactly once (PENDING → INITIALIZING → ACTIVE, each change once, whichever process ran it).
 */
export async function benchScaleOut(postgres: BenchPostgres): Promise<void> {
  const admin = formatToken(generateClientId(), secretDigest(generateSecret()));
  // Processes sharing a store share its server key.
  const secretKey = randomBytes(32).toString('hex');
  for (const processes of [1, 3]) {
    const databaseUrl = await postgres.database();
    const env = {
      ORRERY_DATABASE_URL: databaseUrl,
      ORRERY_SECRET_KEY: secretKey,
      ORRERY_BOOTSTRAP_TOKEN: admin,
      ORRERY_LOG_LEVEL: 'warn',
      ORRERY_PROVISIONING_SPEED: 'immediate',
    };
    const dataDirs = Array.from({ length: processes }, () => mkdtempSync(path.join(os.tmpdir(), 'orrery-scale-out-')));
    const servers = [];
    for (const dataDir of dataDirs)
      servers.push(await start('src/cli.ts', { ...env, ORRERY_DATA_DIR: dataDir }, ['serve', '--port', '0']));
    try {
      if (processes === 3) await recordTransitions(databaseUrl);
      const databaseId = await activeDatabase(servers[0]!.url, admin);
      const requests = mixedRequests(databaseId, admin);
      const urls = servers.map((s) => s.url);
      await drive(urls, requests, WARMUP_S);
      const figures = await drive(urls, requests, DURATION_S);
      console.log(
        `scale-out, ${processes} process${processes > 1 ? 'es' : ''} on one PostgreSQL, mixed traffic: ${figures.rps.toFixed(0)} req/s total, errors ${figures.errors}`,
      );
      if (processes === 3) {
        const deadline = Date.now() + SETTLE_LIMIT_MS;
        let check = await lifecycleCheck(databaseUrl);
        while (check.waiting > 0 && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 500));
          check = await lifecycleCheck(databaseUrl);
        }
        console.log(
          `lifecycle exactly-once across 3 processes: ${check.checked} databases, ${check.waiting} not ACTIVE, ${check.wrong} without exactly PENDING → INITIALIZING → ACTIVE`,
        );
      }
    } finally {
      for (const server of servers) await server.stopped();
      for (const dataDir of dataDirs) rmSync(dataDir, { recursive: true, force: true });
    }
  }
}
