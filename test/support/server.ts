import { Writable } from 'node:stream';
import { buildApp, type App } from '../../src/app.js';
import { ManualClock } from '../../src/clock.js';
import { DEFAULTS, type Config } from '../../src/config.js';
import type { Provisioner } from '../../src/databases/provisioner.js';
import { formatToken, generateClientId, generateSecret, secretDigest } from '../../src/security/tokens.js';
import { freshStore, type TestStore } from './stores.js';

export const TEST_SECRET_KEY = Buffer.alloc(32, 7);

export function randomToken(): string {
  return formatToken(generateClientId(), secretDigest(generateSecret()));
}

export interface TestServer {
  url: string;
  adminToken: string;
  orgId: string;
  clock: ManualClock;
  app: App;
  store: TestStore;
  /** Every log line the server wrote, as text. */
  logs: string[];
  close(): Promise<void>;
}

type TestOnly = {
  store?: TestStore;
  clock?: ManualClock;
  provisioner?: Provisioner;
  /** Keep the server's own real-time lifecycle poll, for clients that wait for a status themselves. */
  backgroundLifecycle?: boolean;
};

/** Starts a real Orrery on 127.0.0.1 with a settable clock, on a fresh store unless one is given. */
export async function startServer(overrides: Partial<Config> & TestOnly = {}): Promise<TestServer> {
  const store = overrides.store ?? (await freshStore());
  const adminToken = overrides.bootstrapToken ?? randomToken();
  const clock = overrides.clock ?? new ManualClock('2026-06-01T00:00:00Z');
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const config: Config = {
    ...DEFAULTS,
    host: '127.0.0.1',
    port: 0,
    logLevel: 'info',
    secretKey: TEST_SECRET_KEY,
    // The test clock stands still, so lifecycle steps are due at once unless a test says otherwise.
    provisioningSpeed: 'immediate',
    ...store,
    ...withoutTestOnly(overrides),
    bootstrapToken: adminToken,
  };
  const app = await buildApp(config, { clock, logStream, provisioner: overrides.provisioner });
  // Lifecycle steps run when a test moves the clock and calls settle(), not on a real-time poll.
  if (!overrides.backgroundLifecycle) await app.services.lifecycle.stop();
  const address = await app.server.listen({ host: '127.0.0.1', port: 0 });
  return { url: address, adminToken, orgId: app.bootstrap.orgId, clock, app, store, logs, close: () => app.close() };
}

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** A small HTTP client for tests: JSON in, JSON (or text) out, never throws on a status. */
export async function call<T = any>(
  server: { url: string },
  method: string,
  path: string,
  options: { token?: string | null; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
  const response = await fetch(server.url + path, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  if ((response.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
  return { status: response.status, headers: response.headers, body: parsed as T, text };
}

export function expectError(response: ApiResponse, status: number, id?: number): void {
  if (response.status !== status) {
    throw new Error(`expected ${status}, got ${response.status}: ${response.text}`);
  }
  if (!(response.headers.get('content-type') ?? '').startsWith('application/json')) {
    throw new Error(`error response is not JSON: ${response.headers.get('content-type')}`);
  }
  const errors = (response.body as { errors?: { ID: unknown; message: unknown }[] }).errors;
  if (!Array.isArray(errors) || typeof errors[0]?.ID !== 'number' || typeof errors[0]?.message !== 'string') {
    throw new Error(`error body has the wrong shape: ${response.text}`);
  }
  if (id !== undefined && errors[0].ID !== id) throw new Error(`expected error ID ${id}, got ${errors[0].ID}`);
}

/** A second (third, ...) organization with its own administrator token, made the way bootstrap makes the first. */
export async function addOrganization(server: TestServer, name: string): Promise<{ orgId: string; token: string }> {
  const { createOrganization } = await import('../../src/iam/organization-setup.js');
  const { db } = server.app.store;
  return db.transaction().execute((trx) => createOrganization(trx, server.app.services.issuer, server.clock, name));
}

/** Creates a token with the given roles through the API and returns the whole creation response. */
export async function createToken(
  server: TestServer,
  roles: string[],
  extra: Record<string, unknown> = {},
  as = server.adminToken,
) {
  const response = await call(server, 'POST', '/v2/tokens', { token: as, body: { roles, ...extra } });
  if (response.status !== 200) throw new Error(`token creation failed: ${response.status} ${response.text}`);
  return response.body as {
    clientId: string;
    secret: string;
    token: string;
    orgId: string;
    roles: string[];
    generatedOn: string;
  };
}

/** Runs the lifecycle steps due at the test clock's time, then reads the database and fails unless it has the status. */
export async function settle(server: TestServer, token: string, id: string, status: string): Promise<any> {
  await server.app.services.lifecycle.runDue();
  const response = await call(server, 'GET', `/v2/databases/${id}`, { token });
  if (response.body?.status !== status) throw new Error(`database ${id} is ${response.body?.status}, not ${status}`);
  return response.body;
}

function withoutTestOnly<T extends TestOnly>(overrides: T) {
  const {
    store: _store,
    clock: _clock,
    provisioner: _provisioner,
    backgroundLifecycle: _background,
    ...config
  } = overrides;
  return config;
}
