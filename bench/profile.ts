import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatToken, generateClientId, generateSecret, secretDigest } from '../src/security/tokens.js';
import { activeDatabase, gatewayCheck, gatewayCredentials, post } from './fixtures.js';
import { line, load, start } from './load.js';
import { startPostgres } from './postgres.js';

interface ProfileNode {
  id: number;
  children?: number[];
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a sampled frame belongs: a package, one of Orrery's files, Node itself, or V8's own work. */
function placeOf(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : `native ${name}`;
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1]!;
  const own = /\/((?:src|bench)\/.*)$/.exec(url);
  if (own) return own[1]!;
  return url.startsWith('node:') ? url.split('/').slice(0, 3).join('/') : url;
}

/** Self time by place, in percent of the busy samples taken from `fromMicros` (the monotonic clock) on. */
function summarize(profile: Profile, fromMicros: number): string {
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  /** The nearest of Orrery's own frames at or above a node: who asked for the work. */
  const ownCaller = (id: number): string => {
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
      const { functionName, url } = byNode.get(at)!.callFrame;
      const place = placeOf(url, functionName);
      if (/^src\//.test(place)) return `${functionName || '(anonymous)'} ${place}`;
    }
    return '(outside Orrery: HTTP, Fastify, timers)';
  };
  const callers = new Map<string, number>();
  const self = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const node = byNode.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    // Start-up (loading and compiling modules) is not what is measured.
    if (functionName === '(idle)' || at < fromMicros) return;
    total += delta;
    const place = placeOf(url, functionName);
    self.set(place, (self.get(place) ?? 0) + delta);
    const caller = ownCaller(id);
    callers.set(caller, (callers.get(caller) ?? 0) + delta);
    if (/^(src|bench)\//.test(place)) {
      const key = `${functionName || '(anonymous)'} ${place}:${lineNumber + 1}`;
      functions.set(key, (functions.get(key) ?? 0) + delta);
    }
  });
  const top = (map: Map<string, number>, n: number) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([key, t]) => `    ${((100 * t) / total).toFixed(1).padStart(5)}%  ${key}`)
      .join('\n');
  return [
    `  busy CPU by place (self time):\n${top(self, 16)}`,
    `  Orrery functions (self time):\n${top(functions, 8)}`,
    `  busy CPU by the nearest Orrery function on the stack (itself and what it called):\n${top(callers, 10)}`,
  ].join('\n');
}

type Workload = [label: string, path: string, headers: Record<string, string>, request?: Parameters<typeof load>[2]];

/**
 * Profiles the server under each workload on its own: a fresh process started with --cpu-prof on the
 * same store, the usual load, then a summary of where its CPU time went. `npx tsx bench/profile.ts [sqlite|postgres]`.
 */
async function profileStore(store: 'sqlite' | 'postgres'): Promise<void> {
  const postgres = store === 'postgres' ? await startPostgres() : undefined;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'orrery-profile-'));
  const admin = formatToken(generateClientId(), secretDigest(generateSecret()));
  const env: Record<string, string> = {
    ORRERY_DATA_DIR: dataDir,
    ORRERY_BOOTSTRAP_TOKEN: admin,
    ORRERY_LOG_LEVEL: 'warn',
    ORRERY_PROVISIONING_SPEED: 'immediate',
    ...(postgres ? { ORRERY_DATABASE_URL: await postgres.database() } : {}),
  };
  try {
    const setup = await start('src/cli.ts', env, ['serve', '--port', '0']);
    const databaseId = await activeDatabase(setup.url, admin);
    for (let i = 0; i < 30; i++)
      await post(`${setup.url}/v2/databases`, { name: `more${i}`, cloudProvider: 'GCP', region: 'us-east1' }, admin);
    const credentials = await gatewayCredentials(setup.url, admin, databaseId);
    const keyspace = `${setup.url}/data/${databaseId}-us-east1/api/json/v1/default_keyspace`;
    await post(keyspace, { createCollection: { name: 'items' } }, admin);
    await post(`${keyspace}/items`, { insertOne: { document: { _id: 'd1', n: 1 } } }, admin);
    await setup.stopped();

    const bearer = { authorization: `Bearer ${admin}` };
    const only = process.env.PROFILE_ONLY;
    const workloads: Workload[] = [
      ['GET /v2/currentOrg', '/v2/currentOrg', bearer],
      ['GET /v2/databases/{id}', `/v2/databases/${databaseId}`, bearer],
      ['GET /v2/databases (25)', '/v2/databases?limit=25', bearer],
      [
        'gateway check, AstraCS token',
        '/v2/data-gateway/authorize',
        { authorization: `Bearer ${credentials.gateway}` },
        gatewayCheck(credentials.appToken, databaseId),
      ],
      [
        'Data API findOne by _id',
        `/data/${databaseId}-us-east1/api/json/v1/default_keyspace/items`,
        { token: admin },
        { method: 'POST', body: { findOne: { filter: { _id: 'd1' } } } },
      ],
    ];
    for (const [label, urlPath, headers, request] of workloads.filter(([label]) => !only || label.includes(only))) {
      const profileDir = mkdtempSync(path.join(os.tmpdir(), 'orrery-cpu-'));
      const server = await start(
        'src/cli.ts',
        env,
        ['serve', '--port', '0'],
        ['--cpu-prof', `--cpu-prof-dir=${profileDir}`],
      );
      const loadStarted = Number(process.hrtime.bigint() / 1000n);
      const figures = await load(`${server.url}${urlPath}`, headers, request);
      await server.stopped();
      const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'))!;
      console.log(line(`${label} (${store})`, figures));
      console.log(summarize(JSON.parse(readFileSync(path.join(profileDir, file), 'utf8')) as Profile, loadStarted));
      rmSync(profileDir, { recursive: true, force: true });
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    await postgres?.stop();
  }
}

for (const store of process.argv.slice(2).length ? process.argv.slice(2) : ['sqlite', 'postgres'])
  await profileStore(store as 'sqlite' | 'postgres');
