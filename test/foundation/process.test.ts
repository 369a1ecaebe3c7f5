import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ORGANIZATION_ADMINISTRATOR_ID } from '../../src/iam/builtin-roles.js';
import { eventually } from '../support/polling.js';
import { runToExit, spawnServer } from '../support/process.js';
import { call, randomToken } from '../support/server.js';
import { freshStore, type TestStore } from '../support/stores.js';

function storeEnv(store: TestStore): Record<string, string> {
  return { ORRERY_DATA_DIR: store.dataDir, ...(store.databaseUrl ? { ORRERY_DATABASE_URL: store.databaseUrl } : {}) };
}

describe('orrery serve as a process', () => {
  it('prints a generated admin token once, writes it with mode 0600, and keeps it across restarts', async () => {
    const store = await freshStore();
    const first = await spawnServer(storeEnv(store));
    const file = path.join(store.dataDir, 'bootstrap-token');
    const token = readFileSync(file, 'utf8').trim();
    expect(token).toMatch(/^AstraCS:[A-Za-z]{24}:[0-9a-f]{64}$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first.stdout()).toContain(token);
    const org = await call(first, 'GET', '/v2/currentOrg', { token });
    expect(org.status).toBe(200);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = await spawnServer(storeEnv(store));
    expect(second.stdout()).not.toContain(token);
    const again = await call(second, 'GET', '/v2/currentOrg', { token });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(org.body.id);
    const tokens = await call(second, 'GET', '/v2/tokens', { token });
    expect(tokens.body.clients).toHaveLength(1);
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
  });

  it('registers exactly the token in ORRERY_BOOTSTRAP_TOKEN', async () => {
    const store = await freshStore();
    const token = randomToken();
    const server = await spawnServer({ ...storeEnv(store), ORRERY_BOOTSTRAP_TOKEN: token });
    expect(server.stdout()).not.toContain(token);
    expect((await call(server, 'GET', '/v2/currentOrg', { token })).status).toBe(200);
    expect((await call(server, 'GET', '/v2/currentOrg', { token: randomToken() })).status).toBe(401);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  it.each([
    [
      { ORRERY_BOOTSTRAP_TOKEN: 'AstraCS:tooShort:abc' },
      /ORRERY_BOOTSTRAP_TOKEN: must be "AstraCS:" followed by 24 letters/,
    ],
    [{ ORRERY_PORT: '70000' }, /ORRERY_PORT: "70000" is not a port number/],
    [{ ORRERY_LOG_LEVEL: 'loud' }, /ORRERY_LOG_LEVEL: "loud" is not one of/],
    [{ ORRERY_DATABASE_URL: 'mysql://x' }, /ORRERY_DATABASE_URL: scheme "mysql:" is not supported/],
  ])('refuses to start on a bad setting %o', async (env, message) => {
    const store = await freshStore();
    const { code, output } = await runToExit({ ORRERY_DATA_DIR: store.dataDir, ...env });
    expect(code).toBe(2);
    expect(output).toMatch(message);
  });

  it('loses no acknowledged write when killed with SIGKILL mid-load', async () => {
    const store = await freshStore();
    const token = randomToken();
    const env = { ...storeEnv(store), ORRERY_BOOTSTRAP_TOKEN: token, ORRERY_LOG_LEVEL: 'warn' };
    const server = await spawnServer(env);
    const acknowledged: string[] = [];
    let stop = false;
    const writer = async () => {
      while (!stop) {
        try {
          const response = await call(server, 'POST', '/v2/tokens', {
            token,
            body: { roles: [ORGANIZATION_ADMINISTRATOR_ID], description: 'crash' },
          });
          if (response.status === 200) acknowledged.push(response.body.clientId);
        } catch {
          return; // the connection died with the process
        }
      }
    };
    const writers = Array.from({ length: 8 }, writer);
    await eventually(() => acknowledged.length >= 150, '150 acknowledged writes', { everyMs: 5 });
    server.child.kill('SIGKILL');
    stop = true;
    await Promise.all(writers);
    await server.exited;

    const restarted = await spawnServer(env);
    const listed = await call(restarted, 'GET', '/v2/tokens', { token });
    const stored = new Set((listed.body.clients as { clientId: string }[]).map((c) => c.clientId));
    const lost = acknowledged.filter((id) => !stored.has(id));
    expect(acknowledged.length).toBeGreaterThanOrEqual(150);
    expect(lost).toEqual([]);
    restarted.child.kill('SIGTERM');
    await restarted.exited;
  });
});
