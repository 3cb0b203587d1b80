/// <reference lib="dom" />
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { type Browser, chromium, type Page } from 'playwright-core';
import request from 'supertest';
import { DEMO_PARTIES, DEMO_PLACES } from '../../src/demo/demo-scenario';
import { type ApiApp, bearer, startApiApp } from '../support/api';
import { appDatabase, type AppDatabase, postgresAvailable } from '../support/database';

/** "Paste a report" in a headless Chromium: paste, find claims, review a draft, record it; the recorded claim is the reviewed draft. */

const CHROMIUM = '/usr/bin/chromium';
const browserMissing = existsSync(CHROMIUM) ? null : `${CHROMIUM} is missing (apt-get install chromium)`;
if (browserMissing) {
  if (process.env.REQUIRE_BROWSER === '1') throw new Error(`REQUIRE_BROWSER=1 but ${browserMissing}`);
  console.warn(`drafts page: the browser test is skipped because ${browserMissing}.`);
}
const inBrowser = (name: string, fn: () => Promise<void>, timeout?: number) => (browserMissing ? it.skip(`${name} — skipped: ${browserMissing}`, fn) : it(name, fn, timeout));
const SHOTS = process.env.WEB_SHOTS_DIR ?? join(tmpdir(), 'ceasefire-web-shots');
const kind = postgresAvailable() ? 'postgres' : 'embedded';

const REPORT =
  'YEREVAN, October 11 (Reuters) - The Armenian Defence Ministry said Azerbaijani forces shelled Stepanakert overnight, killing two civilians. Baku denied the report. Either side accuses the other of violating the truce.';

let db: AppDatabase;
let app: ApiApp;
let baseUrl: string;
let browser: Browser | null = null;
let conflictId: string;
const party: Record<string, string> = {};

beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/ensure-build.cjs', 'web'], { stdio: 'inherit' });
  db = await appDatabase(kind);
  app = await startApiApp(db.env);
  await app.app.listen(0, '127.0.0.1');
  baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const post = async (path: string, body: object) => (await request(app.server).post(path).set(bearer(app.tokens.editor)).send(body).expect(201)).body.id as string;
  conflictId = await post('/api/conflicts', { name: 'Nagorno-Karabakh war (2020)', timeZone: 'Asia/Baku' });
  for (const p of DEMO_PARTIES) party[p.shortName] = await post(`/api/conflicts/${conflictId}/parties`, { name: p.name, shortName: p.shortName, kind: p.kind, aliases: p.aliases });
  for (const p of DEMO_PLACES.slice(0, 6)) {
    await post(`/api/conflicts/${conflictId}/places`, { names: p.names.map((n) => ({ name: n.name, language: n.language, usedBy: (n.usedBy ?? []).map((s) => party[s]!) })), lat: p.lat, lon: p.lon, kind: 'settlement' });
  }
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

async function expectNoSeriousAxeViolations(page: Page, where: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect({ where, violations: serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`) }).toEqual({ where, violations: [] });
}

async function pasteAndFind(width: number, report = REPORT): Promise<{ page: Page; problems: string[] }> {
  const context = await browser!.newContext({ viewport: { width, height: 900 }, baseURL: baseUrl });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(String(error)));
  await page.goto('/sign-in');
  await page.getByLabel('Access token').fill(app.tokens.journalist);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  await page.getByRole('link', { name: 'Paste a report' }).click();
  await page.getByLabel('Report text').fill(report);
  await page.getByLabel('Publication time').fill('2020-10-11 09:40');
  await page.getByRole('button', { name: 'Find claims' }).click();
  await page.getByRole('heading', { name: '2 drafts' }).waitFor();
  return { page, problems };
}

inBrowser(
  'a journalist records a claim and its denial from one report: Review on the denial asks for the claim first, and the recorded response answers the recorded claim',
  async () => {
    const { page, problems } = await pasteAndFind(1400);
    await expect(page.getByText('Armenia says Azerbaijan violated — shelling')).toBeTruthy();
    expect(await page.locator('.report-text mark').count()).toBe(2);
    expect(await page.locator('.notes li').innerText()).toContain('Either side accuses the other');
    await expectNoSeriousAxeViolations(page, 'paste a report');
    await page.screenshot({ path: join(SHOTS, 'paste-report-1400.png'), fullPage: true });
    const { drafts } = (await request(app.server).post(`/api/conflicts/${conflictId}/drafts`).set(bearer(app.tokens.journalist)).send({ text: REPORT, publishedAt: '2020-10-11T09:40:00+04:00' }).expect(200)).body;
    expect(drafts[1]).toMatchObject({ respondsToDraft: 0, body: { stance: 'denial' } });
    expect(drafts[1].body.respondsTo).toBeUndefined();

    // The denial answers draft 1, which is not recorded: Review says so and offers draft 1 first.
    await page.getByRole('button', { name: 'Review draft 2', exact: true }).click();
    const waiting = page.getByRole('status').filter({ hasText: 'not recorded yet' });
    expect(await waiting.innerText()).toContain('Draft 2 answers draft 1, which is not recorded yet');
    expect(page.url()).toMatch(/\/reports\/new$/);
    await expectNoSeriousAxeViolations(page, 'a denial waiting for the claim it answers');
    await page.screenshot({ path: join(SHOTS, 'paste-report-answer-first-1400.png'), fullPage: true });
    await page.getByRole('button', { name: 'Review draft 1 first' }).click();

    await page.getByRole('heading', { name: 'Record a claim' }).waitFor();
    expect(await page.getByRole('note').innerText()).toContain('Pre-filled from a report');
    expect(await page.getByLabel('Claimant').inputValue()).toBe(party.Armenia);
    expect(await page.getByLabel('Place', { exact: true }).inputValue()).toBe('Stepanakert');
    await expectNoSeriousAxeViolations(page, 'record a reviewed draft');
    await page.screenshot({ path: join(SHOTS, 'review-draft-1400.png'), fullPage: true });
    await page.getByRole('button', { name: 'Record claim' }).click();

    // Back on the report: draft 1 is recorded, and the denial now answers it.
    await page.getByText('Claim recorded', { exact: true }).waitFor();
    expect(page.url()).toMatch(/\/reports\/new$/);
    const claimLink = page.getByRole('link', { name: 'open the claim recorded from draft 1' });
    const claimId = (await claimLink.getAttribute('href'))!.split('/').pop()!;
    expect(claimId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await page.getByText('Answers draft 1, recorded').count()).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'paste-report-claim-recorded-1400.png'), fullPage: true });
    const claim = (await request(app.server).get(`/api/claims/${claimId}`).expect(200)).body;
    const body = drafts[0].body;
    expect(claim).toMatchObject({
      conflictId,
      claimant: body.claimant,
      subject: body.subject,
      assertion: body.assertion,
      category: body.category,
      summary: body.summary,
      location: { name: body.location.name, altNames: body.location.altNames },
      casualties: { civilian: { killed: { min: 2, max: 2 } } },
    });
    expect(Date.parse(claim.occurred.from)).toBe(Date.parse(body.occurred.from));
    expect(Date.parse(claim.occurred.to)).toBe(Date.parse(body.occurred.to));
    expect(claim.occurred).toMatchObject({ precision: 'part-of-day', raw: 'overnight' });
    expect(Date.parse(claim.statedAt)).toBe(Date.parse(body.statedAt));
    expect(claim.attributions[0]).toMatchObject({ outlet: 'Reuters', speaker: 'Armenian Defence Ministry', quote: body.summary, reliability: 'F', credibility: 6 });

    // Review on the denial now opens the Respond form of the recorded claim, pre-filled.
    await page.getByRole('button', { name: 'Review draft 2', exact: true }).click();
    await page.waitForURL(new RegExp(`/claims/${claimId}/respond$`));
    await page.getByRole('button', { name: 'Record response' }).waitFor();
    expect(await page.getByLabel('Stance').inputValue()).toBe('denial');
    await page.getByRole('button', { name: 'Record response' }).click();
    await page.getByText('Response recorded', { exact: true }).waitFor();
    const responseId = (await page.getByRole('link', { name: 'open the claim recorded from draft 2' }).getAttribute('href'))!.split('/').pop()!;
    expect(responseId).not.toBe(claimId);
    const response = (await request(app.server).get(`/api/claims/${responseId}`).expect(200)).body;
    expect(response).toMatchObject({ respondsTo: claimId, claimant: party.Azerbaijan, subject: party.Azerbaijan, assertion: 'complied', stance: 'denial', summary: drafts[1].body.summary });

    // Read again, both drafts say they are recorded.
    await page.getByRole('button', { name: 'Find claims' }).click();
    await page.getByText('Already recorded').first().waitFor();
    expect(await page.getByText('Already recorded').count()).toBe(2);
    expect(problems).toEqual([]);
  },
  120_000,
);

inBrowser(
  'fits a 400 px screen without sideways scrolling',
  async () => {
    // A report none of whose claims is recorded, so that the denial waits for its claim.
    const { page, problems } = await pasteAndFind(400, 'BAKU, October 11 (AFP) - The Azerbaijani Defence Ministry said Armenian forces shelled Tartar overnight. Yerevan denied the report.');
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'paste-report-400.png'), fullPage: true });
    await page.getByRole('button', { name: 'Review draft 2', exact: true }).click();
    await page.getByRole('button', { name: 'Review draft 1 first' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'paste-report-answer-first-400.png'), fullPage: true });
    expect(problems).toEqual([]);
  },
  120_000,
);

inBrowser(
  "an editor reviews an agreement drafted from a report: the conflict's form opens pre-filled and records it as read",
  async () => {
    const context = await browser!.newContext({ viewport: { width: 1400, height: 900 }, baseURL: baseUrl });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(String(error)));
    await page.goto('/sign-in');
    await page.getByLabel('Access token').fill(app.tokens.editor);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.getByRole('link', { name: 'Paste a report' }).click();
    await page
      .getByLabel('Report text')
      .fill(
        'MOSCOW, October 10. /TASS/. Baku and Yerevan agreed to cease fire starting from 12:00 local time of October 10 for humanitarian purposes, for exchanging prisoners of war and bodies, Russian Foreign Minister Sergei Lavrov said after talks in Moscow mediated by Russia.',
      );
    await page.getByLabel('Publication time').fill('2020-10-10 04:10');
    await page.getByRole('button', { name: 'Find claims' }).click();
    await page.getByRole('button', { name: 'Review draft 1' }).click();
    await page.getByText('Pre-filled from a report').waitFor();
    const signatories = page.getByRole('group', { name: 'Signatories' });
    await expect(signatories.getByLabel('Armenia').isChecked()).resolves.toBe(true);
    await expect(signatories.getByLabel('Azerbaijan').isChecked()).resolves.toBe(true);
    await expect(page.getByLabel('Effective from').inputValue()).resolves.toBe('2020-10-10 12:00');
    expect(await page.getByLabel('Kind of provision').count()).toBeGreaterThanOrEqual(2);
    await page.getByLabel('Title').fill('Moscow humanitarian ceasefire');
    if (!(await page.getByLabel('Kind of agreement').inputValue())) await page.getByLabel('Kind of agreement').selectOption('humanitarian-truce');
    await expectNoSeriousAxeViolations(page, 'agreement form pre-filled from a report');
    await page.getByRole('button', { name: 'Record agreement' }).click();
    await page.getByText('Agreement recorded: Moscow humanitarian ceasefire').waitFor();
    const agreementId = new URL(page.url()).pathname.split('/')[2]!;
    const recorded = (await request(app.server).get(`/api/agreements/${agreementId}`).expect(200)).body;
    expect(recorded).toMatchObject({
      signatories: expect.arrayContaining([party.Armenia, party.Azerbaijan]),
      effectiveFrom: { at: '2020-10-10T12:00:00+04:00', raw: expect.stringContaining('12:00 local time'), timeZone: 'Asia/Baku', basis: 'stated' },
    });
    expect(recorded.provisions.map((p: { kind: string }) => p.kind)).toEqual(expect.arrayContaining(['exchange-of-prisoners', 'exchange-of-bodies']));
    expect(problems).toEqual([]);
    await context.close();
  },
  120_000,
);
