/// <reference lib="dom" />
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { type Browser, chromium, type Page } from 'playwright-core';
import request from 'supertest';
import { templateHeader } from '../../src/imports/domain/claim-row';
import { type ApiApp, bearer, claimBody, type Scenario, seedScenario, startApiApp } from '../support/api';
import { appDatabase, type AppDatabase, postgresAvailable } from '../support/database';

/**
 * The web app's interoperability (issue 16) in a headless Chromium against the real server, with
 * anonymous reads off (so downloads need the token): the desk's "Import claims" page, the claims
 * list's downloads, and the ClaimReview JSON-LD of an assessed claim's page under the strict CSP.
 */

const CHROMIUM = '/usr/bin/chromium';
const browserMissing = existsSync(CHROMIUM) ? null : `${CHROMIUM} is missing (apt-get install chromium)`;
if (browserMissing) {
  if (process.env.REQUIRE_BROWSER === '1') throw new Error(`REQUIRE_BROWSER=1 but ${browserMissing}`);
  console.warn(`web imports: the browser tests are skipped because ${browserMissing}.`);
}
const inBrowser = (name: string, fn: () => Promise<void>, timeout = 60_000) => (browserMissing ? it.skip(`${name} — skipped: ${browserMissing}`, fn) : it(name, fn, timeout));

const SHOTS = process.env.WEB_SHOTS_DIR ?? join(tmpdir(), 'ceasefire-web-shots');
const kind = postgresAvailable() ? 'postgres' : 'embedded';

let db: AppDatabase;
let app: ApiApp;
let baseUrl: string;
let browser: Browser | null = null;
let s: Scenario;

beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/ensure-build.cjs', 'web'], { stdio: 'inherit' });
  db = await appDatabase(kind);
  app = await startApiApp({ ...db.env, PUBLIC_READS: 'false' });
  await app.app.listen(0, '127.0.0.1');
  baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  s = await seedScenario(app);
  if (!browserMissing) {
    mkdirSync(SHOTS, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  }
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await db?.close();
});

/** A tab signed in with `token` that collects page errors and CSP violations. */
async function signedIn(token: string, width = 1400): Promise<{ page: Page; problems: string[]; close(): Promise<void> }> {
  const context = await browser!.newContext({ viewport: { width, height: 900 }, baseURL: baseUrl, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/the server responded with a status of (4\d\d)/.test(message.text())) problems.push(message.text());
  });
  await page.goto('/sign-in');
  await page.getByLabel('Access token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return { page, problems, close: () => context.close() };
}

async function expectNoSeriousAxeViolations(page: Page, where: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect({ where, violations: serious.map((v) => `${v.id}: ${v.help}`) }).toEqual({ where, violations: [] });
}

async function expectNoHorizontalOverflow(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
}

function templateCsv(rows: Record<string, string>[]): string {
  const header = templateHeader(1);
  return stringify([header, ...rows.map((r) => header.map((c) => r[c] ?? ''))]);
}

const row = (n: number, overrides: Record<string, string> = {}) => ({
  claimant: 'Azerbaijan',
  subject: 'Armenia',
  assertion: 'violated',
  category: 'shelling',
  occurred_from: `2020-10-2${n} 02:00`,
  occurred_precision: 'hour',
  stated_at: `2020-10-2${n}T10:00:00+04:00`,
  location: 'Barda',
  summary: `Imported from the desk spreadsheet, row ${n}.`,
  source1_outlet: 'APA',
  source1_reliability: 'B',
  source1_credibility: '3',
  ...overrides,
});

describe('the "Import claims" page', () => {
  inBrowser('checks a file, shows the report by row and column, then imports the valid rows', async () => {
    for (const width of [1400, 400]) {
      const { page, problems, close } = await signedIn(app.tokens.journalist, width);
      await page.goto('/claims');
      if (width === 400) await page.goto('/claims/import');
      else await page.getByRole('link', { name: 'Import claims' }).click();
      await page.getByRole('heading', { name: 'Import claims' }).waitFor();
      await page.getByLabel('Conflict').selectOption({ label: 'Nagorno-Karabakh (2020)' });
      const csv = templateCsv([row(width === 400 ? 4 : 1), row(2, { source1_reliability: 'Q' }), row(width === 400 ? 5 : 3)]);
      await page.getByLabel('Claims file').setInputFiles({ name: `desk-${width}.csv`, mimeType: 'text/csv', buffer: Buffer.from(csv) });
      const before = await app.head();

      await page.getByRole('button', { name: 'Check file' }).click();
      await page.getByText('Checked: 2 of 3 rows are valid; 1 row is not. Nothing was recorded.').waitFor();
      const report = page.getByRole('table', { name: 'Problems found, by row and column' });
      await expect(report.getByRole('row').nth(1).textContent()).resolves.toMatch(/^3source1_reliabilityreliability must be one of/);
      expect(await app.head()).toBe(before);
      await expectNoSeriousAxeViolations(page, `import report at ${width}px`);
      await expectNoHorizontalOverflow(page);
      await page.screenshot({ path: join(SHOTS, `import-report-${width}.png`), fullPage: true });

      await page.getByRole('button', { name: 'Import' }).click();
      await page.getByText('Nothing was recorded: 1 of 3 rows are invalid.', { exact: false }).waitFor();
      expect(await app.head()).toBe(before);

      await page.getByLabel('Only valid rows').check();
      await page.getByRole('button', { name: 'Import' }).click();
      await page.getByText('Recorded 2 claims; 1 invalid row was left out.').waitFor();
      await page.screenshot({ path: join(SHOTS, `import-done-${width}.png`), fullPage: true });
      expect(problems).toEqual([]);
      await close();
    }
  }, 120_000);

  inBrowser('names the field when no file was chosen', async () => {
    const { page, close } = await signedIn(app.tokens.journalist);
    await page.goto('/claims/import');
    await page.getByLabel('Conflict').selectOption({ label: 'Nagorno-Karabakh (2020)' });
    await page.getByRole('button', { name: 'Check file' }).click();
    await page.getByText('Choose a CSV or JSON Lines file').waitFor();
    expect(await page.getByLabel('Claims file').getAttribute('aria-invalid')).toBe('true');
    await close();
  });
});

describe('downloads and ClaimReview', () => {
  inBrowser("downloads the claims list's CSV and GeoJSON with its filters, fetched with the token", async () => {
    await request(app.server).post('/api/claims').set(bearer(app.tokens.journalist)).send(claimBody(s, { summary: 'Armenia says nothing; Azerbaijan accuses.' })).expect(201);
    const { page, problems, close } = await signedIn(app.tokens.reader);
    await page.goto(`/claims?conflictId=${s.conflictId}&claimant=${s.azerbaijan}`);
    const csvLink = page.getByRole('link', { name: 'Download CSV' });
    expect(await csvLink.getAttribute('href')).toBe(`/api/exports/claims.csv?conflictId=${s.conflictId}&claimant=${s.azerbaijan}`);
    const [csv] = await Promise.all([page.waitForEvent('download'), csvLink.click()]);
    expect(csv.suggestedFilename()).toBe('claims.csv');
    const rows: Record<string, string>[] = parse(readFileSync((await csv.path())!, 'utf8'), { columns: true });
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.claimant))).toEqual(new Set(['Azerbaijan']));
    const [geojson] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download GeoJSON' }).click()]);
    expect(JSON.parse(readFileSync((await geojson.path())!, 'utf8')).type).toBe('FeatureCollection');
    await expectNoSeriousAxeViolations(page, 'claims list with downloads');
    expect(problems).toEqual([]);
    await close();
  });

  inBrowser("embeds an assessed claim's ClaimReview as JSON-LD, which the CSP lets stand, and none for an unassessed one", async () => {
    const assessed = (await request(app.server).post('/api/claims').set(bearer(app.tokens.journalist)).send(claimBody(s)).expect(201)).body.id;
    await request(app.server).post(`/api/claims/${assessed}/assessments`).set(bearer(app.tokens.editor)).send({ status: 'refuted', rationale: 'The footage is from 2016.' }).expect(201);
    const unassessed = (await request(app.server).post('/api/claims').set(bearer(app.tokens.journalist)).send(claimBody(s)).expect(201)).body.id;
    const { page, problems, close } = await signedIn(app.tokens.reader);
    await page.goto(`/claims/${assessed}`);
    const block = page.locator('script[type="application/ld+json"]');
    await block.waitFor({ state: 'attached' });
    const review = JSON.parse((await block.textContent())!);
    expect(review).toMatchObject({ '@context': 'https://schema.org', '@type': 'ClaimReview', reviewRating: { alternateName: 'Refuted', ratingValue: 1 } });
    await page.goto(`/claims/${unassessed}`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await page.locator('script[type="application/ld+json"]').count()).toBe(0);
    // A CSP violation would be a console error.
    expect(problems).toEqual([]);
    await close();
  });
});
