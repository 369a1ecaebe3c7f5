import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { accessibilityProblems, browserAvailable, launchBrowser, screenshot } from '../support/browser.js';
import { addOrganization, call, startServer, type TestServer } from '../support/server.js';
import { command, createDatabase } from '../data-api/support.js';

const RO_USER = '2cb32e78-4e8d-4f85-a152-4e4df2be1c28';
const PASSWORD = 'correct horse battery staple';

/** Signs a new user with the given roles in through an invitation; returns the cookie and CSRF token. */
async function userSession(server: TestServer, email: string, roles: string[]) {
  const token = server.adminToken;
  const user = await call(server, 'PUT', '/v2/organizations/users', { token, body: { email, roles } });
  const invitation = await call(server, 'POST', '/auth/invitations', { token, body: { userId: user.body.UserID } });
  const code = new URL(invitation.body.link).pathname.split('/').at(-1)!;
  const accepted = await call(server, 'POST', `/auth/invitations/${code}/accept`, { body: { password: PASSWORD } });
  const cookie = accepted.headers
    .getSetCookie()
    .find((c) => c.startsWith('orrery_session='))!
    .split(';')[0]!;
  return { cookie, csrf: accepted.body.csrfToken as string };
}

describe("the Data Explorer's route", () => {
  let server: TestServer;
  let db: Awaited<ReturnType<typeof createDatabase>>;
  const explorer = (body: unknown, options: { token?: string; headers?: Record<string, string> } = {}) =>
    call(server, 'POST', `/v2/databases/${db.id}/data-api`, { ...options, body });

  beforeAll(async () => {
    server = await startServer();
    db = await createDatabase(server);
    await command(server, `${db.path}/default_keyspace`, { createCollection: { name: 'notes' } });
    await command(server, `${db.path}/default_keyspace/notes`, { insertOne: { document: { _id: 'n1', text: 'hi' } } });
  });
  afterAll(() => server.close());

  it("runs a command with a session's own roles: a read-only user reads but may not write", async () => {
    const session = await userSession(server, 'reader@example.com', [RO_USER]);
    const headers = { cookie: session.cookie, 'x-csrf-token': session.csrf, origin: server.url };
    const target = { region: 'us-east1', keyspace: 'default_keyspace', collection: 'notes' };
    const read = await explorer({ ...target, command: { find: {} } }, { headers });
    expect(read.status).toBe(200);
    expect(read.body.data.documents).toEqual([{ _id: 'n1', text: 'hi' }]);

    const write = await explorer({ ...target, command: { insertOne: { document: { text: 'no' } } } }, { headers });
    expect(write.body.errors[0].errorCode).toBe('UNAUTHORIZED_ACCESS');
    const count = await command(server, `${db.path}/default_keyspace/notes`, { countDocuments: {} });
    expect(count.body.status.count).toBe(1);
  });

  it('refuses a cookie write without the CSRF token, a caller without a credential, and another organization', async () => {
    const session = await userSession(server, 'writer@example.com', [RO_USER]);
    const body = { region: 'us-east1', keyspace: 'default_keyspace', command: { findCollections: {} } };
    expect((await explorer(body, { headers: { cookie: session.cookie, origin: server.url } })).status).toBe(403);
    expect((await explorer(body)).status).toBe(401);

    const other = await addOrganization(server, 'Elsewhere');
    const refused = await explorer(body, { token: other.token });
    expect(refused.body.errors[0].errorCode).toBe('UNAUTHORIZED_ACCESS');
    expect(JSON.stringify(refused.body)).not.toContain('notes');
  });

  it('answers a database that does not serve that region as the data endpoint would', async () => {
    const answer = await explorer({ region: 'us-west1', command: { findKeyspaces: {} } }, { token: server.adminToken });
    expect(answer.status).toBe(404);
    expect(answer.body.errors[0].errorCode).toBe('UNAVAILABLE_DATABASE');
  });
});

describe.runIf(browserAvailable())('the Data Explorer in a browser', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let db: Awaited<ReturnType<typeof createDatabase>>;
  const documents = async (filter: unknown = {}) =>
    (
      await command(server, `${db.path}/default_keyspace/planets`, {
        find: { filter, sort: { _id: 1 }, projection: { '*': 1 } },
      })
    ).body.data.documents;

  async function inspect(name: string) {
    await page.waitForLoadState('networkidle');
    expect(await accessibilityProblems(page), name).toEqual([]);
    await screenshot(page, name);
  }

  beforeAll(async () => {
    server = await startServer();
    db = await createDatabase(server, server.adminToken, { name: 'atlas', dbType: 'vector' });
    browser = await launchBrowser();
    page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(server.url);
    await page.getByLabel('Application token').fill(server.adminToken);
    await page.getByRole('button', { name: 'Sign in with token' }).click();
    await page.getByRole('heading', { name: 'Databases' }).waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('creates a vector collection, inserts, filters, edits and deletes documents', async () => {
    await page.goto(`${server.url}/databases/${db.id}/data-explorer`);
    await page.getByText('This keyspace has no collection yet').waitFor();
    await inspect('database-data-explorer-empty');

    await page.getByRole('button', { name: 'Create collection' }).click();
    const create = page.getByRole('dialog');
    await create.getByLabel(/^Collection name/).fill('planets');
    await create.getByLabel('Vector-enabled collection').check();
    await create.getByLabel(/^Dimensions/).fill('3');
    await create.getByRole('button', { name: 'Create collection' }).click();
    await create.waitFor({ state: 'detached' });
    await page.getByText('This collection has no documents yet').waitFor();
    const listed = await command(server, `${db.path}/default_keyspace`, {
      findCollections: { options: { explain: true } },
    });
    expect(listed.body.status.collections).toEqual([
      {
        name: 'planets',
        options: expect.objectContaining({ vector: { dimension: 3, metric: 'cosine', sourceModel: 'other' } }),
      },
    ]);

    for (const document of [
      '{"_id": "mars", "moons": 2, "$vector": [0.5, 0.25, 0.125]}',
      '{"_id": "venus", "moons": 0}',
    ]) {
      await page.getByRole('button', { name: 'Insert document' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Document (JSON)').fill(document);
      await dialog.getByRole('button', { name: 'Insert document' }).click();
      await dialog.waitFor({ state: 'detached' });
    }
    await page.locator('[data-document-id=\'"venus"\']').waitFor();
    expect(await documents()).toEqual([
      { _id: 'mars', moons: 2, $vector: [0.5, 0.25, 0.125] },
      { _id: 'venus', moons: 0 },
    ]);

    await page.getByLabel('Filter').fill('{"moons": {"$gt": 1}}');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.locator('[data-document-id=\'"venus"\']').waitFor({ state: 'detached' });
    expect(await page.locator('tbody tr').count()).toBe(1);
    await inspect('database-data-explorer');

    await page.getByRole('button', { name: 'Edit document "mars"' }).click();
    const editor = page.getByRole('dialog');
    await editor.getByLabel('Document (JSON)').fill('{"_id": "mars", "moons": 3, "$vector": [0.5, 0.25, 0.125]}');
    await editor.getByRole('button', { name: 'Save document' }).click();
    await editor.waitFor({ state: 'detached' });
    expect(await documents({ _id: 'mars' })).toEqual([{ _id: 'mars', moons: 3, $vector: [0.5, 0.25, 0.125] }]);

    await page.getByLabel('Filter').fill('{"moons": "not json');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('The filter is not valid JSON').waitFor();
    await page.getByLabel('Filter').fill('');
    await page.getByRole('button', { name: 'Apply' }).click();

    await page.getByRole('button', { name: 'Delete document "venus"' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete document' }).click();
    await page.locator('[data-document-id=\'"venus"\']').waitFor({ state: 'detached' });
    expect(await documents()).toEqual([{ _id: 'mars', moons: 3, $vector: [0.5, 0.25, 0.125] }]);
  });

  it('shows the Data API error of a refused command with its message', async () => {
    await page.getByRole('button', { name: 'Insert document' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Document (JSON)').fill('{"_id": "mars"}');
    await dialog.getByRole('button', { name: 'Insert document' }).click();
    await dialog.getByText('The document was not saved').waitFor();
    await dialog.getByText(/mars/).first().waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('deletes the collection', async () => {
    await page.getByRole('button', { name: 'Delete collection planets' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete collection' }).click();
    await page.getByText('This keyspace has no collection yet').waitFor();
    const listed = await command(server, `${db.path}/default_keyspace`, { findCollections: {} });
    expect(listed.body.status.collections).toEqual([]);
  });
});
