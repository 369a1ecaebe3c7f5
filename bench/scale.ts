import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { openStore } from '../src/store/database.js';
import { formatToken, generateClientId, generateSecret, secretDigest } from '../src/security/tokens.js';
import { line, load, start, type Figures } from './load.js';
import { ratio, type BenchStore } from './stores.js';

/** Resident memory of a process, in MiB. */
function rssMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Math.round(Number(match[1]) / 1024) : NaN;
}

/** Writes `count` ACTIVE databases straight into the store of an organization, in batched transactions. */
async function seed(dataDir: string, databaseUrl: string | undefined, count: number): Promise<string[]> {
  const store = openStore({ dataDir, databaseUrl, storeTimeoutMs: 60_000 }, console);
  const { org_id: orgId } = await store.db.selectFrom('installation').select('org_id').executeTakeFirstOrThrow();
  const ids: string[] = [];
  const now = new Date().toISOString();
  for (let done = 0; done < count; done += 1000) {
    const rows = Array.from({ length: Math.min(1000, count - done) }, (_, i) => {
      const id = randomUUID();
      ids.push(id);
      return {
        id,
        org_id: orgId,
        owner_id: 'bench',
        name: `db${done + i}`,
        status: 'ACTIVE',
        cloud_provider: 'GCP',
        region: 'us-east1',
        tier: 'serverless',
        capacity_units: 1,
        db_type: 'vector',
        keyspace: 'default_keyspace',
        keyspaces: '["default_keyspace"]',
        message: null,
        created_at: now,
        updated_at: now,
        terminated_at: null,
      };
    });
    const datacenters = rows.map((row) => ({
      id: `${row.id}-1`,
      database_id: row.id,
      ordinal: 1,
      tier: row.tier,
      cloud_provider: row.cloud_provider,
      region: row.region,
      capacity_units: 1,
      status: 'ACTIVE',
      created_at: now,
      terminated_at: null,
    }));
    await store.db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += 100) {
        await trx
          .insertInto('databases')
          .values(rows.slice(i, i + 100))
          .execute();
        await trx
          .insertInto('datacenters')
          .values(datacenters.slice(i, i + 100))
          .execute();
      }
    });
  }
  await store.close();
  return ids.sort();
}

/** GET /v2/databases/{id} and a page of GET /v2/databases with 1,000 and with 100,000 databases. */
export async function benchDatabaseScale(store: BenchStore, baseline: Figures): Promise<void> {
  for (const count of [1_000, 100_000]) {
    const fresh = await store.fresh();
    const token = formatToken(generateClientId(), secretDigest(generateSecret()));
    const env = { ...fresh.env, ORRERY_BOOTSTRAP_TOKEN: token, ORRERY_LOG_LEVEL: 'warn' };
    const first = await start('src/cli.ts', env, ['serve', '--port', '0']);
    await first.stopped();
    const ids = await seed(fresh.dataDir, fresh.databaseUrl, count);
    const server = await start('src/cli.ts', env, ['serve', '--port', '0']);
    const headers = { authorization: `Bearer ${token}` };
    const middle = ids[Math.floor(ids.length / 2)]!;
    const one = await load(`${server.url}/v2/databases/${middle}`, headers);
    const page = await load(`${server.url}/v2/databases?limit=25&starting_after=${middle}`, headers);
    const label = `${count} dbs, ${store.name}`;
    console.log(line(`GET /v2/databases/{id}, ${label}`, one), ratio(one.rps, baseline));
    console.log(line(`GET /v2/databases page, ${label}`, page), ratio(page.rps, baseline));
    console.log(`server memory with ${count} databases (${store.name}): ${rssMiB(server.pid)} MiB resident`);
    await server.stopped();
    fresh.cleanup();
  }
}
