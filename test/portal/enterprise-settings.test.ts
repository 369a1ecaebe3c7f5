import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ENTERPRISE_ADMINISTRATOR_ID, ORGANIZATION_ADMINISTRATOR_ID } from '../../src/iam/builtin-roles.js';
import { accessibilityProblems, browserAvailable, launchBrowser, screenshot } from '../support/browser.js';
import { addOrganization, call, createToken, startServer, type TestServer } from '../support/server.js';

/** The bootstrap organization's enterprise with a second organization, added by an enterprise token. */
async function enterpriseWithMember(server: TestServer) {
  const enterprise = await createToken(server, [ENTERPRISE_ADMINISTRATOR_ID]);
  const owner = await call(server, 'PUT', '/v2/organizations/users', {
    token: server.adminToken,
    body: { email: 'owner@example.com', roles: [ORGANIZATION_ADMINISTRATOR_ID] },
  });
  const member = await call(server, 'POST', '/v2/enterprises/organizations', {
    token: enterprise.token,
    body: { name: 'Research', email: 'research@example.com', adminUserID: owner.body.UserID },
  });
  expect(member.status).toBe(201);
  return { enterpriseToken: enterprise.token, memberId: member.body.OrganizationID as string };
}

describe("an organization's enterprise", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('lists the enterprise and its organizations to its members, and answers 404 to an organization outside it', async () => {
    const { enterpriseToken, memberId } = await enterpriseWithMember(server);
    const listed = await call(server, 'GET', '/v2/enterprises/organizations', { token: server.adminToken });
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({ EnterpriseName: 'Default Enterprise', PrimaryOrganizationID: server.orgId });
    expect(listed.body.Organizations.map((o: { OrganizationName: string }) => o.OrganizationName)).toEqual([
      'Default Organization',
      'Research',
    ]);
    expect(listed.body.Roles.map((r: { Name: string }) => r.Name)).toEqual([
      'Enterprise Administrator',
      'Enterprise Read Only',
    ]);
    const asEnterprise = await call(server, 'GET', '/v2/enterprises/organizations', { token: enterpriseToken });
    expect(asEnterprise.body.Organizations.map((o: { OrganizationID: string }) => o.OrganizationID)).toContain(
      memberId,
    );

    const outsider = await addOrganization(server, 'Outside');
    const refused = await call(server, 'GET', '/v2/enterprises/organizations', { token: outsider.token });
    expect(refused.status).toBe(404);
    expect(refused.text).not.toContain('Research');
  });
});

describe.runIf(browserAvailable())('Settings for an enterprise in a browser', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;

  async function inspect(name: string) {
    await page.waitForLoadState('networkidle');
    expect(await accessibilityProblems(page), name).toEqual([]);
    await screenshot(page, name);
  }

  beforeAll(async () => {
    server = await startServer();
    await enterpriseWithMember(server);
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

  it('filters on the enterprise, lists its organizations, and clicks the organization to manage it', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('combobox', { name: 'Enterprise or organization' }).click();
    await page.getByRole('option', { name: 'Default Enterprise (enterprise)' }).click();
    await page.getByRole('heading', { name: 'Organizations' }).waitFor();
    await page.getByText('Research').waitFor();
    await inspect('settings-organizations');

    await page.getByRole('link', { name: 'Default Organization' }).click();
    await page.getByRole('heading', { name: 'Generate New Token' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/settings/tokens');
  });

  it('generates an enterprise token, then revokes it through More → Delete → Delete Token', async () => {
    await page.goto(`${server.url}/settings/enterprise/tokens`);
    await page.getByRole('heading', { name: 'Generate New Enterprise Token' }).waitFor();
    await page.getByRole('combobox', { name: 'Role' }).click();
    await page.getByRole('option', { name: 'Enterprise Read Only' }).click();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Generate Token' }).click();
    const token = (await page.getByTestId('generated-token').textContent())!.trim();
    const clientId = token.split(':')[1]!;
    await page.locator(`[data-client-id="${clientId}"]`).waitFor();
    await inspect('settings-enterprise-tokens');

    const roles = await call(server, 'GET', '/v2/organizations/roles', { token });
    expect(roles.body.map((r: { Name: string }) => r.Name)).toEqual([
      'Enterprise Administrator',
      'Enterprise Read Only',
    ]);
    await page.getByRole('button', { name: `More actions for token ${clientId}` }).click();
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Delete Token' }).click();
    await page.locator(`[data-client-id="${clientId}"]`).waitFor({ state: 'detached' });
    expect((await call(server, 'GET', '/v2/organizations/roles', { token })).status).toBe(401);
  });
});
