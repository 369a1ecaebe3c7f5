import { expect } from 'vitest';
import { ErrorIds } from '../../src/kernel/errors.js';
import { ORGANIZATION_ADMINISTRATOR_ID } from '../../src/iam/builtin-roles.js';
import { call, expectError, type TestServer } from './server.js';
import type { SmallFilesystem } from './small-filesystem.js';
import { eventually } from './polling.js';

/**
 * Writes until the store refuses, then checks the refusal and the recovery. Shared by the SQLite and
 * PostgreSQL tests.
 */
export async function expectDiskFullHandled(
  server: TestServer,
  disk: SmallFilesystem,
  causeInLog: RegExp,
): Promise<void> {
  const write = () =>
    call(server, 'POST', '/v2/tokens', {
      token: server.adminToken,
      body: { roles: [ORGANIZATION_ADMINISTRATOR_ID], description: 'x'.repeat(256) },
    });
  expect((await write()).status).toBe(200);
  disk.fill();
  let refused;
  for (let i = 0; i < 3000 && !refused; i++) {
    const response = await write();
    if (response.status !== 200) refused = response;
  }
  if (!refused) throw new Error('the store never refused a write');
  expectError(refused, 507, ErrorIds.insufficientStorage);
  expect(server.logs.join('')).toMatch(causeInLog);
  const ready = await call(server, 'GET', '/ready');
  expectError(ready, 503, ErrorIds.unavailable);
  expect(ready.body.errors[0].message).toMatch(/cannot write/);
  // Reads still work.
  expect((await call(server, 'GET', '/v2/currentOrg', { token: server.adminToken })).status).toBe(200);

  disk.free();
  await eventually(async () => (await call(server, 'GET', '/ready')).status === 200, '/ready to recover');
  expect((await write()).status).toBe(200);
}
