import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { accessibilityProblems, browserAvailable, launchBrowser, screenshot } from '../support/browser.js';
import { call, startServer, type TestServer } from '../support/server.js';

const DATABASES = 1000;

describe.runIf(browserAvailable())('the Databases page with 1,000 databases', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    // The lifecycle stays stopped, so the databases are only rows in the store: creating them is quick.
    server = await startServer();
    const names = Array.from({ length: DATABASES }, (_, i) => `fleet-${String(i).padStart(4, '0')}`);
    for (let i = 0; i < names.length; i += 50) {
      const created = await Promise.all(
        names.slice(i, i + 50).map((name) =>
          call(server, 'POST', '/v2/databases', {
            token: server.adminToken,
            body: { name, cloudProvider: 'GCP', region: 'us-east1' },
          }),
        ),
      );
      expect(created.every((c) => c.status === 201)).toBe(true);
    }
    browser = await launchBrowser();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** One cold load in a fresh context: milliseconds from the navigation's start to the first row on screen. */
  async function coldLoad(inspect: boolean): Promise<number> {
    // A fresh context has nothing cached: the Portal's files, the session and the first page all load.
    const context = await browser.newContext();
    const signIn = await context.request.post(`${server.url}/auth/sign-in`, { data: { token: server.adminToken } });
    expect(signIn.status()).toBe(200);
    const page = await context.newPage();
    // Noted by the page itself when the first row is added, in performance.now() (from the navigation's start).
    await page.addInitScript(() => {
      const marked = window as unknown as { firstRowAt?: number };
      new MutationObserver((_changes, observer) => {
        if (!document.querySelector('tbody tr')) return;
        marked.firstRowAt = performance.now();
        observer.disconnect();
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(`${server.url}/databases`, { waitUntil: 'commit' });
    await page.locator('tbody tr').first().waitFor();
    const elapsed = await page.evaluate(() => (window as unknown as { firstRowAt: number }).firstRowAt);
    expect(await page.locator('tbody tr').count()).toBe(25);
    expect(await page.locator('tbody tr').first().getAttribute('data-database')).toMatch(/^fleet-\d{4}$/);
    if (inspect) {
      await page.getByRole('button', { name: 'Load more databases' }).waitFor();
      await page.waitForLoadState('networkidle');
      expect(await accessibilityProblems(page)).toEqual([]);
      await screenshot(page, 'databases');
    }
    await context.close();
    return elapsed;
  }

  it('shows the first page in under a second on a cold load', async (context) => {
    // Cold loads until one is under a second, at most eight: on a shared machine another process's burst
    // can stall any single load, while a page that is slow in itself fails every time.
    const loads: number[] = [];
    while (loads.length < 8 && !loads.some((l) => l < 1000)) loads.push(await coldLoad(loads.length === 0));
    console.log(
      `cold loads of the Databases page, first row on screen: ${loads.map((l) => l.toFixed(0)).join(', ')} ms`,
    );
    // A wall-clock budget means nothing on a machine running several times more work than it has cores
    // (the figure then measures the others' load); there the loads are reported and the check skipped.
    const busy = os.loadavg()[0]! > 2 * os.availableParallelism();
    if (busy && Math.min(...loads) >= 1000)
      context.skip(
        `the machine is overloaded (load ${os.loadavg()[0]!.toFixed(1)}); cold loads took ${loads.map((l) => l.toFixed(0)).join(', ')} ms`,
      );
    expect(Math.min(...loads)).toBeLessThan(1000);
  });
});
