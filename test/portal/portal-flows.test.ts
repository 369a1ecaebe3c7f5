import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { accessibilityProblems, browserAvailable, launchBrowser, screenshot } from '../support/browser.js';
import { call, startServer, type TestServer } from '../support/server.js';

const RO_USER = 'RO User';
const PASSWORD = 'a long enough password';
// Each lifecycle step takes a minute of the test clock, which only moves when a test moves it.
const STEP_MS = 60_000;

describe.runIf(browserAvailable())('the Portal in a browser', () => {
  let server: TestServer;
  let browser: Browser;
  let admin: BrowserContext;
  let page: Page;
  let databaseId = '';
  const api = (method: string, path: string, body?: unknown, token = server.adminToken) =>
    call(server, method, path, { token, body });

  /** Checks the page for serious or critical accessibility problems, and saves its screenshot. */
  async function inspect(name: string, on: Page = page) {
    await on.waitForLoadState('networkidle');
    expect(await accessibilityProblems(on), name).toEqual([]);
    await screenshot(on, name);
  }

  async function choose(on: Page, label: string, option: string | RegExp) {
    // Mantine adds a hidden " *" to the label of a required field.
    await on
      .getByLabel(new RegExp(`^${label}( \\*)?$`))
      .first()
      .click();
    await on.getByRole('option', { name: option }).first().click();
  }

  async function signInWithToken(on: Page, token: string) {
    await on.goto(server.url);
    await on.getByLabel('Application token').fill(token);
    await on.getByRole('button', { name: 'Sign in with token' }).click();
    await on.getByRole('heading', { name: 'Databases' }).waitFor();
  }

  beforeAll(async () => {
    server = await startServer({ provisioningSpeed: STEP_MS, backgroundLifecycle: true });
    browser = await launchBrowser();
    admin = await browser.newContext({ acceptDownloads: true });
    admin.setDefaultTimeout(10_000);
    page = await admin.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('asks for sign-in, then signs in with the bootstrap token', async () => {
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Sign in to Orrery' }).waitFor();
    await inspect('sign-in');
    await signInWithToken(page, server.adminToken);
    await page.getByText('There are no databases yet').waitFor();
    await inspect('databases-empty');
  });

  it('invites a user, who accepts the link and then signs in with e-mail and password', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByLabel('E-mail').fill('lin@example.com');
    await choose(page, 'Roles', RO_USER);
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Invite user' }).click();
    const link = (await page.getByTestId('invitation-link').textContent())!;
    await page.getByText('Pending invitation').waitFor();
    await inspect('settings-users');
    const invited = (await api('GET', '/v2/organizations/users')).body.Users.find(
      (u: { Email: string }) => u.Email === 'lin@example.com',
    );
    expect(invited.Status).toBe('invited');

    const guest = await browser.newContext();
    const guestPage = await guest.newPage();
    await guestPage.goto(link);
    await guestPage.getByText('lin@example.com').waitFor();
    await inspect('invitation', guestPage);
    await guestPage.getByLabel('New password').fill(PASSWORD);
    await guestPage.getByRole('button', { name: 'Accept invitation' }).click();
    await guestPage.getByRole('heading', { name: 'Databases' }).waitFor();
    expect((await api('GET', `/v2/organizations/users/${invited.UserID}`)).body.Status).toBe('active');
    await guestPage.getByRole('button', { name: 'Sign out' }).click();
    await guestPage.getByLabel(/^E-mail/).fill('lin@example.com');
    await guestPage.getByLabel(/^Password/).fill(PASSWORD);
    await guestPage.getByRole('button', { name: 'Sign in', exact: true }).click();
    await guestPage.getByText('lin@example.com').waitFor();
    await guest.close();
  });

  it('generates a token under Settings → Tokens that works, then revokes it through More → Delete → Delete Token', async () => {
    await page.getByRole('link', { name: 'Tokens' }).click();
    await choose(page, 'Role', RO_USER);
    await page.keyboard.press('Escape');
    await page.getByLabel('Description').fill('browser token');
    await page.getByRole('button', { name: 'Generate Token' }).click();
    const token = (await page.getByTestId('generated-token').textContent())!.trim();
    expect(token).toMatch(/^AstraCS:[A-Za-z]{24}:[0-9a-f]{64}$/);
    expect((await api('GET', '/v2/currentOrg', undefined, token)).body.id).toBe(server.orgId);
    await inspect('settings-tokens');

    const clientId = token.split(':')[1]!;
    await page.getByRole('button', { name: `More actions for token ${clientId}` }).click();
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Delete Token' }).click();
    await page.locator(`[data-client-id="${clientId}"]`).waitFor({ state: 'detached' });
    expect((await api('GET', '/v2/currentOrg', undefined, token)).status).toBe(401);
  });

  it('creates a database whose badge reaches ACTIVE without reloading', async () => {
    await page.getByRole('link', { name: 'Databases' }).click();
    await page.getByRole('button', { name: 'Create database' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Database name').fill('bad name!');
    await choose(page, 'Region', /us-east-2/);
    await dialog.getByRole('button', { name: 'Create database' }).click();
    await dialog.getByText('Use 1 to 50 letters').waitFor();
    await inspect('create-database');
    await dialog.getByLabel('Database name').fill('orbits');
    await dialog.getByRole('button', { name: 'Create database' }).click();
    await page.getByRole('heading', { name: 'orbits' }).waitFor();
    databaseId = new URL(page.url()).pathname.split('/')[2]!;
    const badge = page.locator('main [data-status]').first();
    await expect.poll(() => badge.getAttribute('data-status')).toBe('PENDING');
    server.clock.advance(STEP_MS);
    await expect.poll(() => badge.getAttribute('data-status'), { timeout: 10_000 }).toBe('INITIALIZING');
    server.clock.advance(STEP_MS);
    await expect.poll(() => badge.getAttribute('data-status'), { timeout: 10_000 }).toBe('ACTIVE');
    expect((await api('GET', `/v2/databases/${databaseId}`)).body.info).toMatchObject({
      name: 'orbits',
      keyspace: 'default_keyspace',
      dbType: 'vector',
    });
    await page.getByText('No requests to this database').waitFor();
    await inspect('database-overview');
  });

  it('adds a keyspace from the Overview tab', async () => {
    await page.getByLabel('New keyspace').fill('telemetry');
    await page.getByRole('button', { name: 'Add keyspace' }).click();
    await expect.poll(() => page.locator('main [data-status]').first().getAttribute('data-status')).toBe('MAINTENANCE');
    server.clock.advance(STEP_MS);
    await page.getByRole('button', { name: 'Remove keyspace telemetry' }).waitFor();
    await expect.poll(async () => (await api('GET', `/v2/databases/${databaseId}`)).body.status).toBe('ACTIVE');
    expect((await api('GET', `/v2/databases/${databaseId}`)).body.info.keyspaces).toEqual([
      'default_keyspace',
      'telemetry',
    ]);
  });

  it('generates a database-scoped token from More → Generate Token that acts on this database only', async () => {
    await page.getByRole('tab', { name: 'Connect' }).click();
    await page.getByRole('button', { name: 'More' }).click();
    await page.getByRole('menuitem', { name: 'Generate Token' }).click();
    const token = (await page.getByTestId('generated-token').textContent())!.trim();
    await inspect('database-connect');
    const roles = (await api('GET', '/v2/organizations/roles')).body as {
      Name: string;
      Policy: { resources: string[] };
    }[];
    expect(roles.find((r) => r.Name === 'orbits Database Administrator')!.Policy.resources).toContain(
      `drn:astra:org:${server.orgId}:db:${databaseId}`,
    );
    const other = await api('POST', '/v2/databases', { name: 'elsewhere', cloudProvider: 'AWS', region: 'us-east-2' });
    const otherId = other.headers.get('location')!;
    expect((await api('GET', `/v2/databases/${databaseId}`, undefined, token)).status).toBe(200);
    expect((await api('POST', `/v2/databases/${databaseId}/keyspaces/scoped_ks`, undefined, token)).status).toBe(201);
    expect((await api('GET', `/v2/databases/${otherId}`, undefined, token)).status).toBe(403);
    expect((await api('POST', `/v2/databases/${otherId}/terminate`, undefined, token)).status).toBe(403);
  });

  it('downloads a secure connect bundle', async () => {
    // The scoped token's keyspace put the database in maintenance; let it finish.
    server.clock.advance(STEP_MS);
    await expect
      .poll(() => page.locator('main [data-status]').first().getAttribute('data-status'), { timeout: 10_000 })
      .toBe('ACTIVE');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download SCB' }).click(),
    ]);
    const bytes = readFileSync(await download.path());
    // A zip archive starts with "PK".
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
  });

  it('creates a custom role scoped to one keyspace', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('link', { name: 'Roles' }).click();
    await page.getByText('Built-in').first().waitFor();
    await inspect('settings-roles');
    await page.getByRole('button', { name: 'Add custom role' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Role name').fill('Telemetry reader');
    await dialog.getByRole('checkbox', { name: 'db-table-select' }).check();
    await choose(page, 'Resources', 'A keyspace');
    await choose(page, 'Database', 'orbits');
    await choose(page, 'Keyspace', 'telemetry');
    await dialog.getByRole('button', { name: 'Create role' }).click();
    await dialog.waitFor({ state: 'detached' });
    const roles = (await api('GET', '/v2/organizations/roles')).body as {
      Name: string;
      Policy: { resources: string[]; actions: string[] };
    }[];
    const role = roles.find((r) => r.Name === 'Telemetry reader')!;
    expect(role.Policy.actions).toEqual(['db-table-select']);
    expect(role.Policy.resources).toContain(`drn:astra:org:${server.orgId}:db:${databaseId}:keyspace:telemetry`);
  });

  it('shows the access list and audit log pages', async () => {
    await page.getByRole('link', { name: 'Access list' }).click();
    await page.getByText('every address is allowed').waitFor();
    await inspect('settings-access-list');
    await page.getByLabel('Address or CIDR block').fill('203.0.113.7');
    await page.getByRole('button', { name: 'Add address' }).click();
    await page.getByRole('dialog').getByText('is not in the new list').waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    expect((await api('GET', `/v2/organizations/${server.orgId}/devops-acl`)).body.addresses).toEqual([]);
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('cell', { name: 'GENERATE_TOKEN' }).first().waitFor();
    await inspect('settings-audit-log');
  });

  it('terminates a database once its name is typed', async () => {
    await page.goto(`${server.url}/databases/${databaseId}/settings`);
    await inspect('database-settings');
    await page.getByRole('button', { name: 'Terminate database' }).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.getByRole('button', { name: 'Terminate' }).isDisabled()).toBe(true);
    await dialog.getByLabel('Type orbits to confirm').fill('orbits');
    await dialog.getByRole('button', { name: 'Terminate' }).click();
    await page.getByRole('heading', { name: 'Databases' }).waitFor();
    expect(['TERMINATING', 'TERMINATED']).toContain((await api('GET', `/v2/databases/${databaseId}`)).body.status);
  });
});
