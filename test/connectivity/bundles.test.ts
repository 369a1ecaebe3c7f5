import { execFile } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/stores.js';
import { BUILTIN_ROLES } from '../../src/iam/builtin-roles.js';
import { call, createToken, expectError, startServer, settle, type TestServer } from '../support/server.js';

const run = promisify(execFile);

describe('secure connect bundles', () => {
  let server: TestServer;
  let token: string;
  let id: string;

  beforeAll(async () => {
    server = await startServer();
    token = server.adminToken;
    id = (
      await call(server, 'POST', '/v2/databases', {
        token,
        body: { name: 'shop', cloudProvider: 'GCP', region: 'us-east1', keyspace: 'orders' },
      })
    ).headers.get('location')!;
    await settle(server, token, id, 'ACTIVE');
  });
  afterAll(() => server.close());

  async function unpack(url: string): Promise<string> {
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    const dir = tempDir('bundle');
    writeFileSync(path.join(dir, 'bundle.zip'), Buffer.from(await response.arrayBuffer()));
    await run('unzip', ['-q', 'bundle.zip'], { cwd: dir });
    return dir;
  }

  it('hands out signed links to a real bundle whose client certificate verifies against its CA', async () => {
    const one = await call(server, 'POST', `/v2/databases/${id}/secureBundleURL`, { token });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ datacenterID: `${id}-1`, datcenterID: `${id}-1` });
    for (const field of [
      'downloadURL',
      'downloadURLInternal',
      'downloadURLMigrationProxy',
      'downloadURLMigrationProxyInternal',
    ]) {
      expect(one.body[field].startsWith(`${server.url}/bundles/${id}-1/`), field).toBe(true);
    }
    expect(one.body.downloadURL).toContain('/secure-connect-shop.zip?');
    expect(one.body.downloadURLMigrationProxyInternal).toContain('/secure-connect-proxy-internal-shop.zip?');

    const dir = await unpack(one.body.downloadURL);
    expect(readdirSync(dir).sort()).toEqual(['bundle.zip', 'ca.crt', 'cert', 'config.json', 'cqlshrc', 'key']);
    const verified = await run('openssl', ['verify', '-CAfile', 'ca.crt', 'cert'], { cwd: dir });
    expect(verified.stdout.trim()).toBe('cert: OK');
    const config = JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8'));
    expect(config).toMatchObject({
      host: `${id}-us-east1.db.astra.datastax.com`,
      cql_port: 29042,
      keyspace: 'orders',
      localDC: 'dc-1',
      caCertLocation: './ca.crt',
      certLocation: './cert',
      keyLocation: './key',
    });
    expect(readFileSync(path.join(dir, 'cqlshrc'), 'utf8')).toContain('certfile = ./ca.crt');
    // The key in the bundle belongs to its certificate.
    const publicOfKey = await run('openssl', ['pkey', '-in', 'key', '-pubout'], { cwd: dir });
    const publicOfCert = await run('openssl', ['x509', '-in', 'cert', '-pubkey', '-noout'], { cwd: dir });
    expect(publicOfKey.stdout).toBe(publicOfCert.stdout);

    // Every bundle of the database comes from the same authority.
    const again = await unpack(
      (await call(server, 'POST', `/v2/databases/${id}/secureBundleURL`, { token })).body.downloadURLInternal,
    );
    expect(readFileSync(path.join(again, 'ca.crt'), 'utf8')).toBe(readFileSync(path.join(dir, 'ca.crt'), 'utf8'));
    expect(readFileSync(path.join(again, 'cert'), 'utf8')).not.toBe(readFileSync(path.join(dir, 'cert'), 'utf8'));
  });

  it('refuses a tampered link, and any link after five minutes', async () => {
    const { downloadURL } = (await call(server, 'POST', `/v2/databases/${id}/secureBundleURL`, { token })).body;
    const url = new URL(downloadURL);
    const tampered = [
      downloadURL.replace(/signature=./, (m: string) => `signature=${m.endsWith('A') ? 'B' : 'A'}`),
      downloadURL.replace(/expires=(\d+)/, (_m: string, e: string) => `expires=${Number(e) + 3600}`),
      downloadURL.replace('secure-connect-shop.zip', 'secure-connect-internal-shop.zip'),
      `${url.origin}${url.pathname}`,
    ];
    for (const link of tampered) expect((await fetch(link)).status, link).toBeGreaterThanOrEqual(400);
    expectError(
      await call(server, 'GET', downloadURL.slice(server.url.length).replace(/signature=./, 'signature=_')),
      403,
    );

    server.clock.advance(4 * 60_000 + 59_000);
    expect((await fetch(downloadURL)).status).toBe(200);
    server.clock.advance(1000);
    const expired = await call(server, 'GET', downloadURL.slice(server.url.length));
    expectError(expired, 403);
    expect(expired.body.errors[0].message).toContain('expired');
  });

  it('accepts a link only as it was handed out: one spelling of each parameter', async () => {
    const { downloadURL } = (await call(server, 'POST', `/v2/databases/${id}/secureBundleURL`, { token })).body;
    const expires = /expires=(\d+)/.exec(downloadURL)![1]!;
    const signature = /signature=([^&]+)/.exec(downloadURL)![1]!;
    const base = downloadURL.slice(0, downloadURL.indexOf('?'));
    expect((await fetch(`${base}?signature=${signature}&expires=${expires}`)).status).toBe(200);
    for (const query of [
      `expires=${expires}&signature=${signature}&expires=${expires}`,
      `expires=${expires}&signature=${signature}&signature=${signature}`,
      `expires=${expires}&Signature=${signature}`,
      `%65xpires=${expires}&signature=${signature}`,
      `expires=${expires}&signature=${signature}&extra=1`,
      `expires=0${expires}&signature=${signature}`,
      `expires[]=${expires}&signature=${signature}`,
    ]) {
      expectError(await call(server, 'GET', `${base.slice(server.url.length)}?${query}`), 403);
    }
  });

  it('shows signed links in database objects only to callers who may obtain the credentials', async () => {
    const viewer = await createToken(server, [BUILTIN_ROLES.find((r) => r.name === 'UI View Only')!.id]);
    expectError(await call(server, 'POST', `/v2/databases/${id}/secureBundleURL`, { token: viewer.token }), 403);
    const seen = [
      (await call(server, 'GET', `/v2/databases/${id}`, { token: viewer.token })).text,
      (await call(server, 'GET', '/v2/databases', { token: viewer.token })).text,
      (await call(server, 'GET', `/v2/databases/${id}/datacenters`, { token: viewer.token })).text,
    ];
    for (const text of seen) {
      expect(text).toContain(id);
      expect(text).not.toContain('/bundles/');
      expect(text).not.toContain('secureBundle');
    }
    expect(
      (await call(server, 'GET', `/v2/databases/${id}`, { token })).body.info.datacenters[0].secureBundleUrl,
    ).toContain('/bundles/');
  });

  it('keeps signatures and credentials in query strings out of the logs', async () => {
    const { downloadURL } = (await call(server, 'POST', `/v2/databases/${id}/secureBundleURL`, { token })).body;
    const signature = /signature=([^&]+)/.exec(downloadURL)![1]!;
    expect((await fetch(downloadURL)).status).toBe(200);
    await call(server, 'GET', `/v2/currentOrg?token=${encodeURIComponent(token)}&Secret=hunter2-secret`);
    const logs = server.logs.join('\n');
    expect(logs).toContain('signature=[redacted]');
    for (const secret of [signature, token, encodeURIComponent(token), 'hunter2-secret'])
      expect(logs).not.toContain(secret);
  });

  it('gives one link per datacenter with all=true, the same links on datacenter objects, and 409 unless ACTIVE', async () => {
    await call(server, 'POST', `/v2/databases/${id}/datacenters`, {
      token,
      body: [{ cloudProvider: 'AWS', region: 'us-east-2' }],
    });
    const database = await settle(server, token, id, 'ACTIVE');
    expect(database.info.datacenters[1].secureBundleUrl).toContain(`/bundles/${id}-2/secure-connect-shop.zip?`);
    const all = await call(server, 'POST', `/v2/databases/${id}/secureBundleURL?all=true`, { token });
    expect(all.body.map((c: { datacenterID: string }) => c.datacenterID)).toEqual([`${id}-1`, `${id}-2`]);
    const dir = await unpack(all.body[1].downloadURL);
    expect(JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8'))).toMatchObject({
      host: `${id}-us-east-2.db.astra.datastax.com`,
      localDC: 'dc-2',
    });

    expectError(
      await call(server, 'POST', '/v2/databases/00000000-0000-4000-8000-000000000000/secureBundleURL', { token }),
      404,
    );
    // A server of its own whose data plane is slow (and whose clock stands still) leaves a new database PENDING: no bundle yet.
    const slow = await startServer({ provisioningSpeed: 60_000 });
    try {
      const slowToken = slow.adminToken;
      const pending = (
        await call(slow, 'POST', '/v2/databases', {
          token: slowToken,
          body: { name: 'later', cloudProvider: 'GCP', region: 'us-east1' },
        })
      ).headers.get('location')!;
      expectError(await call(slow, 'POST', `/v2/databases/${pending}/secureBundleURL`, { token: slowToken }), 409);
      const datacenter = (await call(slow, 'GET', `/v2/databases/${pending}`, { token: slowToken })).body.info
        .datacenters[0];
      expect(datacenter.status).toBe('PENDING');
      expect(datacenter.secureBundleUrl).toBeUndefined();
    } finally {
      await slow.close();
    }
  });
});
