/// <reference lib="dom" />
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import request from 'supertest';
import { WEB_APP_CSP } from '../../src/web-app/web-app.controller';
import { type ApiApp, bearer, claimBody, type Scenario, seedScenario, startApiApp } from '../support/api';
import { appDatabase, type AppDatabase, postgresAvailable } from '../support/database';

/**
 * The newsroom web app (issue 11) in a headless Chromium against the real server: a journalist
 * records, a second one responds, an editor assesses, marks a duplicate and voids, a correction
 * races another, a reader sees no actions and no confidential identity; axe on every route.
 * The accessible names used here are the contract outside browser tests rely on.
 */

const CHROMIUM = '/usr/bin/chromium';
const browserMissing = existsSync(CHROMIUM) ? null : `${CHROMIUM} is missing (apt-get install chromium)`;
if (browserMissing) {
  if (process.env.REQUIRE_BROWSER === '1') throw new Error(`REQUIRE_BROWSER=1 but ${browserMissing}`);
  console.warn(`web app: the browser tests are skipped because ${browserMissing}; the HTTP tests still run.`);
}
const inBrowser = (name: string, fn: () => Promise<void>, timeout?: number) => (browserMissing ? it.skip(`${name} — skipped: ${browserMissing}`, fn) : it(name, fn, timeout));

/** Screenshots go here (400 and 1400 px wide), to look at. */
const SHOTS = process.env.WEB_SHOTS_DIR ?? join(tmpdir(), 'ceasefire-web-shots');
const kind = postgresAvailable() ? 'postgres' : 'embedded';

let db: AppDatabase;
let app: ApiApp;
let baseUrl: string;
let browser: Browser | null = null;
let s: Scenario;
let secondJournalist: string;

beforeAll(async () => {
  // The server under test serves dist/web: build it when the web sources are newer.
  execFileSync(process.execPath, ['scripts/ensure-build.cjs', 'web'], { stdio: 'inherit' });
  db = await appDatabase(kind);
  app = await startApiApp(db.env);
  await app.app.listen(0, '127.0.0.1');
  baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  s = await seedScenario(app);
  secondJournalist = (await request(app.server).post('/api/admin/tokens').set(bearer(app.tokens.admin)).send({ name: 'Yerevan desk', role: 'journalist' }).expect(201)).body.token;
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

/** A new tab (its own sessionStorage) that fails the test on any CSP violation or page error. */
async function newPage(width = 1400): Promise<{ page: Page; context: BrowserContext; problems: string[] }> {
  const context = await browser!.newContext({ viewport: { width, height: 900 }, baseURL: baseUrl });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/the server responded with a status of (4\d\d)/.test(message.text())) problems.push(message.text());
  });
  return { page, context, problems };
}

async function signIn(page: Page, token: string) {
  await page.goto('/sign-in');
  await page.getByLabel('Access token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

async function expectNoSeriousAxeViolations(page: Page, where: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect({ where, violations: serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`) }).toEqual({ where, violations: [] });
}

interface ClaimInput {
  summary: string;
  place: string;
  occurredFrom: string;
  statedAt: string;
}

/** Fills the "Record a claim" form: Azerbaijan accuses Armenia, two sources, one confidential. */
async function fillClaimForm(page: Page, c: ClaimInput) {
  await page.getByRole('link', { name: 'Record a claim' }).click();
  await page.getByLabel('Claimant').selectOption({ label: 'Azerbaijan' });
  await page.getByLabel('Subject').selectOption({ label: 'Armenia' });
  await page.getByLabel('Assertion').selectOption('violated');
  await page.getByLabel('Category').selectOption('shelling');
  await page.getByLabel('Summary').fill(c.summary);
  await page.getByLabel('Precision').selectOption('minute');
  await page.getByLabel('Occurred from').fill(c.occurredFrom);
  await page.getByLabel('As reported').fill('around two in the morning');
  await page.getByLabel('Stated at').fill(c.statedAt);
  await page.getByLabel('Place', { exact: true }).fill(c.place);
  await page.getByLabel('Alternative names').fill('Terter');
  await page.getByLabel('Latitude').fill('40.34');
  await page.getByLabel('Longitude').fill('46.93');
  await page.getByLabel('Civilian killed (min)').fill('2');
  await page.getByLabel('Civilian killed (max)').fill('4');
  const first = page.getByRole('group', { name: 'Source 1' });
  await first.getByLabel('Outlet').fill('APA');
  await first.getByLabel('Speaker').fill('Azerbaijani Defence Ministry');
  await first.getByLabel('Link').fill('https://apa.az/en/example');
  await first.getByLabel('Language').fill('az');
  await first.getByLabel('Reliability').selectOption('B');
  await first.getByLabel('Credibility').selectOption('3');
  await page.getByRole('button', { name: 'Add source' }).click();
  const second = page.getByRole('group', { name: 'Source 2' });
  await second.getByLabel('Outlet').fill('Local fixer');
  await second.getByLabel('Reliability').selectOption('C');
  await second.getByLabel('Credibility').selectOption('2');
  await second.getByLabel('Confidential').check();
  await second.getByLabel('Protected identity').fill('Farid, +994 55 000 00 00');
}

describe(`web app (${kind} database)`, () => {
  it('serves index.html for client routes, long-cached hashed assets, and never index.html for server paths', async () => {
    const page = await request(app.server).get('/claims/123/respond').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toBe(WEB_APP_CSP);
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    expect(page.text).not.toMatch(/<style|style=/);
    const script = /\/assets\/[^"]+\.js/.exec(page.text)![0];
    const asset = await request(app.server).get(script).expect(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.headers['content-type']).toMatch(/^text\/javascript/);
    await request(app.server).get('/assets/nothing-here.js').expect(404);
    for (const path of ['/api/nothing', '/api/claims/x/y/z', '/health/nothing', '/metrics/x', '/docs/nothing.html']) {
      const res = await request(app.server).get(path);
      expect({ path, status: res.status, html: /<html/.test(res.text) }).toEqual({ path, status: 404, html: false });
    }
    await request(app.server).get('/health').expect(200);
    const session = await request(app.server).get('/api/session').set(bearer(app.tokens.editor)).expect(200);
    expect(session.body).toEqual({ role: 'editor', name: 'editor desk', publicReads: true, tileUrl: null, tileAttribution: null });
    await request(app.server).get('/api/session').set(bearer('cft_unknown-token-0000000000')).expect(401);
  });

  let claimId = '';
  const summary = 'Armenian forces shelled Tartar before dawn, the Azerbaijani Defence Ministry said.';

  inBrowser('a journalist signs in and records a claim with two sources (one confidential), double-clicked: one claim, every field on its page', async () => {
    const { page, context, problems } = await newPage();
    await signIn(page, app.tokens.journalist);
    await fillClaimForm(page, { summary, place: 'Tartar', occurredFrom: '2020-10-11 02:00', statedAt: '2020-10-11 09:30' });
    expect(await page.getByText('Asia/Baku, GMT+4').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(SHOTS, 'desk-1400.png'), fullPage: true });
    const head = await app.head();
    await page.getByRole('button', { name: 'Record claim' }).dblclick();
    await page.waitForURL(/\/claims\/[0-9a-f-]{36}$/);
    claimId = page.url().split('/').pop()!;
    await page.getByRole('heading', { level: 1, name: summary }).waitFor();
    // One ClaimRecorded event, whatever the double click sent.
    expect((await app.head()) - head).toBe(1);
    const main = page.locator('main');
    const text = await main.innerText();
    for (const shown of [
      'Azerbaijan accuses Armenia of violating the truce',
      '11 Oct 2020, 02:00 (GMT+4)', // occurred, local
      'around two in the morning',
      '11 Oct 2020, 09:30 (GMT+4)', // stated, local
      'Tartar',
      'Terter',
      'civilian killed: 2–4',
      'Moscow humanitarian ceasefire',
      'APA',
      'Azerbaijani Defence Ministry',
      'B — usually reliable',
      'confidential source',
      'unverified',
    ]) {
      expect({ shown, found: text.includes(shown) }).toEqual({ shown, found: true });
    }
    // Journalists do not see a protected identity either.
    expect(text).not.toContain('Farid');
    expect(text).not.toContain('Local fixer');
    const claim = (await request(app.server).get(`/api/claims/${claimId}`).set(bearer(app.tokens.editor)).expect(200)).body;
    expect(claim.occurred).toMatchObject({ from: '2020-10-11T02:00:00+04:00', precision: 'minute' });
    expect(claim.attributions).toHaveLength(2);
    expect(claim.attributions[1]).toMatchObject({ confidential: true, protectedIdentity: 'Farid, +994 55 000 00 00' });
    await page.setViewportSize({ width: 400, height: 900 });
    await page.screenshot({ path: join(SHOTS, 'claim-400.png'), fullPage: true });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(400);
    await expectNoSeriousAxeViolations(page, 'claim page');
    expect(problems).toEqual([]);
    await context.close();
  });

  inBrowser('a server-side field error (occurred after stated) appears next to "Occurred from", with an error summary that takes focus', async () => {
    const { page, context, problems } = await newPage(400);
    await signIn(page, app.tokens.journalist);
    const head = await app.head();
    await fillClaimForm(page, { summary: 'A claim stated before it happened.', place: 'Aghdam', occurredFrom: '2020-10-12 02:00', statedAt: '2020-10-11 09:30' });
    await page.getByRole('button', { name: 'Record claim' }).click();
    const summaryBox = page.getByRole('alert').filter({ hasText: 'There is a problem' });
    await summaryBox.waitFor();
    const occurred = page.getByLabel('Occurred from');
    await expect(occurred.getAttribute('aria-invalid')).resolves.toBe('true');
    const describedBy = (await occurred.getAttribute('aria-describedby')) ?? '';
    expect(describedBy).toContain('occurred-from-error');
    expect(await page.locator('#occurred-from-error').innerText()).toMatch(/Error:\s*\S/);
    expect(await page.evaluate(() => document.activeElement?.classList.contains('error-summary'))).toBe(true);
    expect(await page.title()).toMatch(/^Error: /);
    // What was typed stays.
    await expect(occurred.inputValue()).resolves.toBe('2020-10-12 02:00');
    expect(await app.head()).toBe(head);
    await page.screenshot({ path: join(SHOTS, 'desk-error-400.png'), fullPage: true });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(400);
    await expectNoSeriousAxeViolations(page, 'record a claim, with errors');
    // Client-side checks too: an empty form names every missing field, linked to it.
    await page.goto('/claims/new');
    await page.getByLabel('Claimant').waitFor();
    await page.getByRole('button', { name: 'Record claim' }).click();
    await page.getByRole('link', { name: 'Enter the outlet' }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('attributions-0-outlet');
    expect(problems).toEqual([]);
    await context.close();
  });

  inBrowser('a second journalist responds with a denial (prefilled by the stance) and the thread shows both', async () => {
    const { page, context, problems } = await newPage();
    await signIn(page, secondJournalist);
    await page.goto(`/claims/${claimId}`);
    await page.getByRole('button', { name: 'Respond' }).click();
    await page.getByLabel('Stance').selectOption('denial');
    // A denial: the responder (the accused, Armenia) about itself, complied.
    await expect(page.getByLabel('Claimant').inputValue()).resolves.toBe(s.armenia);
    await expect(page.getByLabel('Subject').inputValue()).resolves.toBe(s.armenia);
    await expect(page.getByLabel('Assertion').inputValue()).resolves.toBe('complied');
    await page.getByLabel('Category').selectOption('ceasefire-statement');
    await page.getByLabel('Summary').fill('The Armenian Defence Ministry denied shelling Tartar.');
    await page.getByLabel('Stated at').fill('2020-10-11 11:00');
    const source = page.getByRole('group', { name: 'Source 1' });
    await source.getByLabel('Outlet').fill('Armenpress');
    await source.getByLabel('Reliability').selectOption('B');
    await source.getByLabel('Credibility').selectOption('3');
    await expectNoSeriousAxeViolations(page, 'respond form');
    await page.getByRole('button', { name: 'Record response' }).click();
    await page.getByRole('heading', { level: 1, name: 'The Armenian Defence Ministry denied shelling Tartar.' }).waitFor();
    expect(await page.locator('main').innerText()).toContain('Armenia says it complied');
    const thread = page.getByRole('list', { name: 'Claims in this thread' });
    await thread.getByRole('link', { name: summary }).waitFor();
    expect(await thread.innerText()).toContain('denial');
    await thread.getByRole('link', { name: summary }).click();
    await page.getByRole('heading', { level: 1, name: summary }).waitFor();
    await page.getByRole('list', { name: 'Claims in this thread' }).getByRole('link', { name: 'The Armenian Defence Ministry denied shelling Tartar.' }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  inBrowser('search by place finds the claim, from the URL a journalist can share', async () => {
    const { page, context, problems } = await newPage();
    await page.goto('/claims');
    await page.getByRole('searchbox', { name: 'Search' }).fill('terter');
    await page.getByRole('button', { name: 'Search claims' }).click();
    await page.waitForURL(/q=terter/);
    await page.getByRole('link', { name: summary }).waitFor();
    await expectNoSeriousAxeViolations(page, 'claims list');
    await page.goto('/claims?q=no-such-place-anywhere');
    await page.getByText('No claims match.').waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  inBrowser('a correction racing another answers 409: the page shows what changed and re-applies', async () => {
    const { page, context, problems } = await newPage();
    await signIn(page, app.tokens.journalist);
    await page.goto(`/claims/${claimId}`);
    await page.getByRole('button', { name: 'Correct' }).click();
    await expect(page.getByLabel('Place', { exact: true }).inputValue()).resolves.toBe('Tartar');
    await page.getByLabel('Place', { exact: true }).fill('Tartar district');
    await page.getByLabel('Reason for the correction').fill('The source names the district.');
    // Meanwhile someone else corrects the summary.
    const before = (await request(app.server).get(`/api/claims/${claimId}`).expect(200)).body;
    await request(app.server)
      .post(`/api/claims/${claimId}/corrections`)
      .set(bearer(secondJournalist))
      .send({ changes: { category: 'drone-strike' }, reason: 'It was a drone.', expectedVersion: before.version })
      .expect(201);
    await page.getByRole('button', { name: 'Record correction' }).click();
    await page.getByRole('heading', { name: 'Changed meanwhile' }).waitFor();
    expect(await page.getByRole('alert').innerText()).toContain('changed this claim');
    await expect(page.getByLabel('Place', { exact: true }).inputValue()).resolves.toBe('Tartar district');
    await page.getByRole('button', { name: 'Re-apply my correction' }).click();
    await page.getByRole('button', { name: 'Record correction' }).click();
    await page.getByText('Correction recorded').waitFor();
    const after = (await request(app.server).get(`/api/claims/${claimId}`).expect(200)).body;
    expect(after).toMatchObject({ category: 'drone-strike', location: { name: 'Tartar district' } });
    const history = await page.locator('.history').innerText();
    expect(history).toContain('The source names the district.');
    expect(history).toMatch(/Tartar\b.*→\s*Tartar district/s);
    expect(problems).toEqual([]);
    await context.close();
  });

  inBrowser('an editor assesses, marks a duplicate and voids; the page and the list show each', async () => {
    const { page, context, problems } = await newPage();
    const dup = (await request(app.server).post('/api/claims').set(bearer(app.tokens.journalist)).send(claimBody(s, { summary: 'Tartar shelled overnight (second outlet).' })).expect(201)).body.id;
    const other = (await request(app.server).post('/api/claims').set(bearer(app.tokens.journalist)).send(claimBody(s, { summary: 'A claim nobody made.' })).expect(201)).body.id;
    await signIn(page, app.tokens.editor);
    await page.goto(`/claims/${claimId}`);
    // Editors see the protected identity.
    await page.getByText('Farid, +994 55 000 00 00').waitFor();
    await page.getByRole('button', { name: 'Assess' }).click();
    await page.getByLabel('Status').selectOption('corroborated');
    await page.getByLabel('Rationale').fill('Satellite imagery shows fresh craters.');
    await page.getByRole('button', { name: 'Record assessment' }).click();
    await page.getByText('Assessment recorded').waitFor();
    expect(await page.locator('.facts').innerText()).toContain('corroborated');
    expect(await page.locator('.history').innerText()).toContain('Satellite imagery shows fresh craters.');

    await page.goto(`/claims/${dup}`);
    await page.getByRole('button', { name: 'Mark duplicate' }).click();
    await page.getByLabel('Search for the original').fill('dawn');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByLabel('Original claim').locator('option', { hasText: summary }).waitFor({ state: 'attached' });
    await page.getByLabel('Original claim').selectOption({ index: 1 });
    await page.getByLabel('Reason').fill('Same statement, second outlet.');
    await expectNoSeriousAxeViolations(page, 'mark duplicate');
    await page.getByRole('button', { name: 'Mark duplicate' }).click();
    await page.getByText('Marked as a duplicate').waitFor();
    await page.locator('.notice', { hasText: 'Duplicate' }).getByRole('link', { name: 'the original claim' }).waitFor();

    await page.goto(`/claims/${other}`);
    await page.getByRole('button', { name: 'Void' }).click();
    await page.getByLabel('Reason').fill('No such statement was made.');
    await page.getByRole('button', { name: 'Void claim' }).click();
    await page.getByText('Claim voided').waitFor();
    expect(await page.locator('.notice').innerText()).toContain('No such statement was made.');

    await page.goto(`/claims?conflictId=${s.conflictId}`);
    const row = (text: string) => page.locator('table.claims tbody tr', { hasText: text });
    await row('A claim nobody made.').getByText('voided').waitFor();
    await row('second outlet').getByText('duplicate').waitFor();
    await row(summary).getByText('corroborated').waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  inBrowser('a journalist adds a source, withdraws one, revises casualties and records a retraction: the page shows each', async () => {
    const recorded = await request(app.server)
      .post('/api/claims')
      .set(bearer(app.tokens.journalist))
      .send(claimBody(s, { summary: 'Azerbaijani shelling hit Martuni, the Armenian Defence Ministry said.', claimant: s.armenia, subject: s.azerbaijan }))
      .expect(201);
    const id = recorded.body.id as string;
    const { page, context, problems } = await newPage();
    await signIn(page, app.tokens.journalist);
    await page.goto(`/claims/${id}?minPosition=${recorded.body.position}`);
    const main = page.locator('main');

    await page.getByRole('button', { name: 'Add source' }).click();
    await page.getByLabel('Outlet').fill('Armenpress');
    await page.getByLabel('Speaker').fill('Shushan Stepanyan');
    await page.getByLabel('Reliability').selectOption('C');
    await page.getByLabel('Credibility').selectOption('3');
    await page.getByRole('button', { name: 'Add source' }).click();
    await page.getByRole('status').getByText('Source added').waitFor();
    await page.getByRole('heading', { level: 2, name: 'Sources' }).waitFor();
    expect(await main.innerText()).toContain('Armenpress');

    await page.getByRole('button', { name: 'Withdraw source' }).click();
    await page.getByLabel('Source').selectOption({ label: 'TASS, Azerbaijani Defence Ministry (B3)' });
    await page.getByLabel('Reason').fill('TASS corrected its report.');
    await page.getByRole('button', { name: 'Withdraw source' }).click();
    await page.getByRole('status').getByText('Source withdrawn').waitFor();
    await page.getByRole('heading', { name: 'Withdrawn sources' }).waitFor();

    await page.getByRole('button', { name: 'Revise casualties' }).click();
    await page.getByLabel('As of').fill('2020-10-11 16:00');
    await page.getByLabel('Civilian killed (min)').fill('2');
    await page.getByLabel('Civilian killed (max)').fill('3');
    await page.getByRole('button', { name: 'Revise casualties' }).click();
    await page.getByRole('status').getByText('Casualties revised').waitFor();

    await page.getByRole('button', { name: 'Record retraction' }).click();
    await page.getByLabel('Retracted at').fill('2020-10-12 01:30');
    await page.getByRole('button', { name: 'Record retraction' }).click();
    await page.getByRole('status').getByText('Retraction recorded').waitFor();
    // The local day in the conflict's zone (Asia/Baku), not the UTC one (11 October).
    await page.getByText('the claimant withdrew this claim on 12 Oct 2020', { exact: false }).waitFor();
    expect(await page.getByRole('button', { name: 'Record retraction' }).count()).toBe(0);

    const claim = (await request(app.server).get(`/api/claims/${id}`).set(bearer(app.tokens.journalist)).expect(200)).body;
    expect(claim.attributions.map((a: { outlet: string }) => a.outlet)).toEqual(['Armenpress']);
    expect(claim.withdrawnAttributions).toEqual([expect.objectContaining({ outlet: 'TASS', withdrawalReason: 'TASS corrected its report.' })]);
    expect(claim.casualties).toEqual({ civilian: { killed: { min: 2, max: 3 } } });
    expect(claim.retracted).toBe(true);
    expect(claim.retraction.statedAt).toMatch(/^2020-10-1[12]T/);
    expect(problems).toEqual([]);
    await context.close();
  });

  inBrowser("an editor registers a place under both sides' names; a journalist gathers both sides' accounts into an incident; an editor assesses it", async () => {
    const { page, context, problems } = await newPage();
    await signIn(page, app.tokens.editor);
    await page.goto(`/conflicts/${s.conflictId}`);
    await page.getByRole('link', { name: 'its places' }).click();
    await page.getByRole('heading', { level: 1, name: 'Places' }).waitFor();
    const first = page.getByRole('group', { name: 'Name 1' });
    await first.getByLabel('Name', { exact: true }).fill('Gəncə');
    await first.getByLabel('Language').fill('az');
    await first.getByRole('group', { name: 'Used by (optional)' }).getByLabel('Azerbaijan').check();
    await page.getByRole('button', { name: 'Add a name' }).click();
    const second = page.getByRole('group', { name: 'Name 2' });
    await second.getByLabel('Name', { exact: true }).fill('Ganja');
    await second.getByLabel('Language').fill('en');
    await page.getByLabel('Latitude').fill('40.6828');
    await page.getByLabel('Longitude').fill('46.3606');
    await page.getByLabel('Kind of place').selectOption('settlement');
    await expectNoSeriousAxeViolations(page, 'places page with its form');
    await page.getByRole('button', { name: 'Register place' }).click();
    await page.getByRole('status').getByText('Place registered: Gəncə / Ganja').waitFor();
    await page.getByRole('heading', { level: 1, name: 'Gəncə / Ganja' }).waitFor();
    const placeId = new URL(page.url()).pathname.split('/')[2]!;
    await page.screenshot({ path: join(SHOTS, 'place.png'), fullPage: false });
    expect(await page.locator('main').innerText()).toMatch(/Gəncə · az · used by Azerbaijan[\s\S]*Ganja · en · neutral/);
    await page.goto(`/conflicts/${s.conflictId}/places?q=Gandja`);
    await page.locator(`main a[href="/places/${placeId}"]`).waitFor(); // found under a spelling it was not registered with

    // Two sides' accounts of one night at that place.
    const night = { from: '2020-10-17T01:00:00+04:00', to: '2020-10-17T03:00:00+04:00', precision: 'hour', raw: 'overnight' };
    const post = (body: object) => request(app.server).post('/api/claims').set(bearer(app.tokens.journalist)).send(body).expect(201);
    const accusation = await post(
      claimBody(s, { summary: 'Armenian missiles hit Ganja overnight, the Azerbaijani Defence Ministry said.', occurred: night, statedAt: '2020-10-17T08:00:00+04:00', location: { name: 'Ganja', placeId } }),
    );
    const denial = await post(
      claimBody(s, {
        claimant: s.armenia,
        subject: s.armenia,
        assertion: 'complied',
        summary: 'The Armenian Defence Ministry denied firing at Ganja.',
        occurred: night,
        statedAt: '2020-10-17T10:00:00+04:00',
        location: { name: 'Gyandzha', placeId },
      }),
    );
    await signIn(page, app.tokens.journalist);
    await page.goto(`/claims/${accusation.body.id}?minPosition=${denial.body.position}`);
    await page.getByRole('button', { name: 'Open an incident from this claim' }).click();
    await page.getByLabel('Incident title').fill('Missile strike on Ganja, 17 October');
    await expect(page.getByLabel('Happened from').inputValue()).resolves.toBe('2020-10-17 01:00');
    await page.getByRole('button', { name: 'Open incident' }).click();
    await page.getByRole('status').getByText('Incident opened: Missile strike on Ganja, 17 October').waitFor();
    await page.getByRole('region', { name: "Azerbaijan's accounts" }).getByRole('link', { name: 'Armenian missiles hit Ganja overnight' }).waitFor();
    await page.getByRole('radio', { name: /The Armenian Defence Ministry denied firing at Ganja\./ }).check();
    await page.getByLabel('Why it is an account of this incident').fill('The same night, the same town.');
    await expectNoSeriousAxeViolations(page, 'incident page');
    await page.getByRole('button', { name: 'Link claim' }).click();
    await page.getByRole('status').getByText('Claim linked').waitFor();
    await page.getByRole('region', { name: "Armenia's accounts" }).getByRole('link', { name: 'The Armenian Defence Ministry denied firing at Ganja.' }).waitFor();
    const incidentId = new URL(page.url()).pathname.split('/')[2]!;
    await page.screenshot({ path: join(SHOTS, 'incident.png'), fullPage: true });

    await signIn(page, app.tokens.editor);
    await page.goto(`/incidents/${incidentId}`);
    await page.getByLabel('Incident status').selectOption('contested');
    await page.getByLabel('Rationale').fill('The accounts contradict each other; no independent source yet.');
    await page.getByRole('button', { name: 'Record assessment' }).click();
    await page.getByRole('status').getByText('Incident assessed').waitFor();
    await page.getByText('Contested — The accounts contradict each other').waitFor();
    const incident = (await request(app.server).get(`/api/incidents/${incidentId}`).expect(200)).body;
    expect(incident).toMatchObject({ title: 'Missile strike on Ganja, 17 October', placeId, status: 'contested', claims: 2 });
    await page.goto(`/claims/${denial.body.id}`);
    await page.getByRole('region', { name: 'Incident' }).getByRole('link', { name: 'Missile strike on Ganja, 17 October' }).waitFor();
    // From the place to the claims located there, by the list's Place filter.
    await page.goto(`/places/${placeId}`);
    await page.getByRole('link', { name: 'Claims located here' }).click();
    await page.getByRole('link', { name: 'The Armenian Defence Ministry denied firing at Ganja.' }).waitFor();
    await page.getByRole('link', { name: /Armenian missiles hit Ganja overnight/ }).waitFor();
    await expect(page.getByLabel('Place', { exact: true }).inputValue()).resolves.toBe(placeId);
    expect(problems).toEqual([]);
    await context.close();
  });

  inBrowser('a reader sees no action buttons and no confidential identity; anonymous reading works', async () => {
    for (const token of [app.tokens.reader, null]) {
      const { page, context, problems } = await newPage();
      if (token) await signIn(page, token);
      await page.goto(`/claims/${claimId}`);
      await page.getByRole('heading', { level: 1, name: summary }).waitFor();
      await page.getByRole('heading', { name: 'Sources' }).waitFor();
      expect(await page.getByRole('button', { name: /^(Respond|Add source|Correct|Assess|Void|Mark duplicate|Record retraction|Revise casualties)$/ }).count()).toBe(0);
      expect(await page.getByRole('link', { name: 'Record a claim' }).count()).toBe(0);
      const text = await page.locator('main').innerText();
      expect(text).toContain('confidential source');
      expect(text).not.toContain('Farid');
      expect(text).not.toContain('Local fixer');
      expect(problems).toEqual([]);
      await context.close();
    }
  });

  inBrowser('keyboard only: sign in and assess a claim without the mouse', async () => {
    const { page, context, problems } = await newPage();
    await page.goto('/sign-in');
    await page.getByLabel('Access token').focus();
    await page.keyboard.type(app.tokens.editor);
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.goto(`/claims/${claimId}/assess`);
    const status = page.getByLabel('Status');
    await status.waitFor();
    // Tab from the page's start to the Status select, then through the form.
    await page.locator('body').focus();
    for (let i = 0; i < 40 && !(await status.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
    expect(await status.evaluate((el) => el === document.activeElement)).toBe(true);
    // Status → Rationale → Evidence → the button: a failed submit first, and the summary takes focus.
    for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByText('There is a problem').waitFor();
    expect(await page.evaluate(() => document.activeElement?.classList.contains('error-summary'))).toBe(true);
    // The summary's first link leads to the field.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    expect(await status.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Reassessed from the keyboard.');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.screenshot({ path: join(SHOTS, 'keyboard.png'), fullPage: true });
    await page.getByText('Assessment recorded').waitFor();
    expect(await page.locator('.history').innerText()).toContain('Reassessed from the keyboard.');
    expect(problems).toEqual([]);
    await context.close();
  });

  inBrowser('an editor registers a conflict with its time zone, adds parties, records an agreement and ends it', async () => {
    const { page, context, problems } = await newPage();
    await signIn(page, app.tokens.editor);
    await page.getByRole('link', { name: 'Conflicts' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Test conflict (2026)');
    await page.getByLabel('Region').fill('Nowhere');
    await page.getByLabel('Time zone').selectOption('Asia/Tbilisi');
    await page.getByRole('button', { name: 'Register conflict' }).click();
    await page.getByRole('heading', { level: 1, name: 'Test conflict (2026)' }).waitFor();
    for (const [name, kind] of [
      ['Northland', 'state'],
      ['Southland', 'state'],
    ]) {
      await page.getByLabel('Party name').fill(name!);
      await page.getByLabel('Kind', { exact: true }).selectOption(kind!);
      await page.getByRole('button', { name: 'Add party' }).click();
      await page.getByText(`Party added: ${name}`).waitFor();
    }
    await page.getByLabel('Title').fill('Spring truce');
    await page.getByLabel('Kind of agreement').selectOption('ceasefire');
    const signatories = page.getByRole('group', { name: 'Signatories' });
    await signatories.getByLabel('Northland').check();
    await signatories.getByLabel('Southland').check();
    await page.getByLabel('Effective from').fill('2026-03-01 12:00');
    await page.getByLabel('As worded').fill('noon on 1 March');
    await page.getByRole('button', { name: 'Add provision' }).click();
    await page.getByLabel('Kind of provision').selectOption('exchange-of-bodies');
    await page.getByLabel('Provision text').fill('The sides exchange the bodies of the dead.');
    const sources = page.getByRole('group', { name: 'Sources' });
    await sources.getByRole('button', { name: 'Add source' }).click();
    await sources.getByLabel('Outlet').fill('Civil.ge');
    await sources.getByLabel('Reliability').selectOption('B');
    await sources.getByLabel('Credibility').selectOption('2');
    await expectNoSeriousAxeViolations(page, 'conflict page with its forms');
    await page.getByRole('button', { name: 'Record agreement' }).click();
    await page.getByText('Agreement recorded: Spring truce').waitFor();
    await page.getByRole('heading', { level: 1, name: 'Spring truce' }).waitFor();
    await page.screenshot({ path: join(SHOTS, 'agreement.png'), fullPage: true });
    expect(await page.locator('main').innerText()).toMatch(/Exchange of bodies: The sides exchange the bodies of the dead\.[\s\S]*Civil\.ge/);

    // A correction of a provision, racing another editor's correction: 409, then re-applied.
    await page.getByRole('button', { name: 'Correct agreement' }).click();
    await page.getByLabel('Provision text').fill('The sides exchange the bodies of the dead, mediated by the ICRC.');
    await page.getByLabel('Reason for the correction').fill('The text names the mediator.');
    const agreementId = new URL(page.url()).pathname.split('/')[2]!;
    await request(app.server)
      .post(`/api/agreements/${agreementId}/corrections`)
      .set(bearer(app.tokens.editor))
      .send({ changes: { terms: 'A truce for the spring.' }, reason: 'Terms added.', expectedVersion: 1 })
      .expect(201);
    await page.getByRole('button', { name: 'Record correction' }).click();
    await page.getByText('Someone changed this agreement while you were correcting it').first().waitFor();
    await page.getByText('Changed: terms').waitFor();
    await page.screenshot({ path: join(SHOTS, 'agreement-changed-meanwhile.png'), fullPage: false });
    await page.getByRole('button', { name: 'Re-apply my correction' }).click();
    await page.getByRole('button', { name: 'Record correction' }).click();
    await page.getByText('Correction recorded').waitFor();
    const corrected = (await request(app.server).get(`/api/agreements/${agreementId}`).expect(200)).body;
    expect(corrected).toMatchObject({ terms: 'A truce for the spring.', provisions: [{ kind: 'exchange-of-bodies', text: 'The sides exchange the bodies of the dead, mediated by the ICRC.' }], attributions: [{ outlet: 'Civil.ge' }], version: 3 });
    await page.getByRole('button', { name: 'End agreement: Spring truce' }).click();
    await page.getByLabel('Ended at').fill('2026-03-05 00:00');
    await page.getByLabel('Reason').fill('Fighting resumed.');
    await page.getByRole('button', { name: 'Record the end' }).click();
    await page.getByText('Agreement ended: Spring truce').waitFor();
    const { items } = (await request(app.server).get('/api/conflicts').expect(200)).body;
    const registered = items.find((c: { name: string }) => c.name === 'Test conflict (2026)');
    expect(registered).toMatchObject({ timeZone: 'Asia/Tbilisi', parties: [{ name: 'Northland' }, { name: 'Southland' }] });
    const detail = (await request(app.server).get(`/api/conflicts/${registered.id}`).expect(200)).body;
    expect(detail.agreements[0]).toMatchObject({ title: 'Spring truce', effectiveFrom: { at: '2026-03-01T12:00:00+04:00', raw: 'noon on 1 March', timeZone: 'Asia/Tbilisi' } });
    expect(detail.agreements[0].endedAt).not.toBeNull();
    expect(problems).toEqual([]);
    await context.close();
  });

  inBrowser('every route has no serious or critical axe violation, at 400 and 1400 px, in light and dark', async () => {
    for (const [width, scheme, paths] of [
      [1400, 'light', null],
      [400, 'dark', new Set(['/', '/claims', '/claims/new', `/claims/${claimId}`, `/claims/${claimId}/correct`, `/agreements/${s.agreementId}`])],
    ] as const) {
      const { page, context, problems } = await newPage(width);
      await page.emulateMedia({ colorScheme: scheme });
      await signIn(page, app.tokens.editor);
      for (const [path, ready] of [
        ['/', 'Agreement scorecard'],
        [`/?conflict=${s.conflictId}&agreement=${s.agreementId}`, 'Scorecard:'],
        ['/claims', 'Results'],
        ['/claims/new', 'Record a claim'],
        [`/claims/${claimId}`, 'Thread'],
        [`/claims/${claimId}/correct`, 'Reason for the correction'],
        [`/claims/${claimId}/add-source`, 'Outlet'],
        [`/claims/${claimId}/withdraw-source`, 'Reason'],
        [`/claims/${claimId}/casualties`, 'As of'],
        [`/claims/${claimId}/retraction`, 'Retracted at'],
        [`/claims/${claimId}/void`, 'Reason'],
        ['/sign-in', 'Access token'],
        ['/conflicts', 'Register a conflict'],
        [`/conflicts/${s.conflictId}`, 'Record an agreement'],
        [`/agreements/${s.agreementId}`, 'Provisions'],
        [`/conflicts/${s.conflictId}/places`, 'Register a place'],
        [`/conflicts/${s.conflictId}/incidents`, 'Open an incident'],
        [`/agreements/${s.agreementId}/correct`, 'Reason for the correction'],
        ['/no-such-page', 'Page not found'],
      ] as const) {
        if (paths && !paths.has(path)) continue;
        await page.goto(path);
        await page.getByText(ready, { exact: false }).first().waitFor();
        await expectNoSeriousAxeViolations(page, `${path} at ${width}px, ${scheme}`);
        expect({ path, width, overflow: await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth) }).toEqual({ path, width, overflow: false });
        if (path === '/' || path === '/claims/new') await page.screenshot({ path: join(SHOTS, `${path === '/' ? 'dashboard' : 'desk'}-${width}-${scheme}.png`), fullPage: false });
      }
      expect(problems).toEqual([]);
      await context.close();
    }
  }, 240_000);
});
