import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Browser, chromium, type Page } from 'playwright-core';
import request from 'supertest';
import { PAGE_CSP } from '../../src/dashboard/dashboard-page.controller';
import { type ApiApp, bearer, claimBody, denialBody, type Scenario, seedScenario, startApiApp } from '../support/api';
import { appDatabase, type AppDatabase, postgresAvailable } from '../support/database';

/**
 * The dashboard page at GET / (DESIGN §8, §9): its files over HTTP, then the page itself in a
 * headless Chromium on a live app, checked against what the JSON API answers for the same
 * question, and refreshed by /api/live after a write.
 *
 * Scenario (seedScenario: Asia/Baku, A Azerbaijan, B Armenia, agreement M from 10-10 12:00):
 *   c1  A→B violated 10-11 01:00, killed 1, wounded 3–5
 *   c2  A→B violated 10-11 15:00, corroborated, military killed 2–4; its summary looks like markup
 *   c4  A→B violated 10-11 10:00, voided: listed, flagged, not counted
 *   r1  B→B complied 10-11 01:00, denial of c1
 *   c3  B→A violated 10-12 22:00
 *   f*  19 B→A violated on 10-20, so that the claims list has a second page
 * So on 2020-10-11 the page's A→B table shows 2 claims, and 3 once the live write lands.
 */

const CHROMIUM = '/usr/bin/chromium';
const browserMissing = existsSync(CHROMIUM) ? null : `${CHROMIUM} is missing (apt-get install chromium)`;
if (browserMissing) console.warn(`dashboard page: the browser tests are skipped because ${browserMissing}; the HTTP tests still run.`);
/** A test that needs Chromium: skipped, with the reason in its name, where there is none. */
const inBrowser = (name: string, fn: () => Promise<void>) => (browserMissing ? it.skip(`${name} — skipped: ${browserMissing}`, fn) : it(name, fn));

const kind = postgresAvailable() ? 'postgres' : 'embedded';
const MARKUP_SUMMARY = '<img src=x onerror="window.__pwned=1"> Shelling near <b>Aghdam</b>, the ministry said.';

interface Served {
  db: AppDatabase;
  app: ApiApp;
  baseUrl: string;
  /** The position of the latest write; API reads wait for it. */
  lastPosition: number;
}

async function serve(env: Record<string, string | undefined> = {}): Promise<Served> {
  const db = await appDatabase(kind);
  const app = await startApiApp({ ...db.env, ...env });
  // The browser needs a real port; supertest keeps working against the listening server.
  await app.app.listen(0, '127.0.0.1');
  const { port } = app.server.address() as AddressInfo;
  return { db, app, baseUrl: `http://127.0.0.1:${port}`, lastPosition: 0 };
}

async function write(served: Served, path: string, body: object, token = served.app.tokens.editor): Promise<{ id: string; position: number }> {
  const res = await request(served.app.server).post(path).set(bearer(token)).send(body);
  expect({ path, status: res.status, body: res.body }).toMatchObject({ path, status: 201, body: { position: expect.any(Number) } });
  served.lastPosition = Math.max(served.lastPosition, res.body.position);
  return res.body;
}

async function read(served: Served, path: string, query: Record<string, string | number> = {}) {
  const res = await request(served.app.server)
    .get(path)
    .set(bearer(served.app.tokens.reader))
    .query({ ...query, minPosition: served.lastPosition })
    .expect(200);
  return res.body;
}

/** Polls a check on the page until it passes (the page refreshes by itself) or time runs out. */
async function eventually(check: () => Promise<void>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The body rows of the table with this caption, as the cells' visible text. */
async function tableRows(page: Page, caption: string | RegExp): Promise<string[][]> {
  const table = page.getByRole('table', { name: caption, exact: typeof caption === 'string' });
  const rows = await table.locator('tbody tr').all();
  return Promise.all(rows.map(async (row) => (await row.locator('th, td').allInnerTexts()).map((cell) => cell.trim())));
}

const range = ({ min, max }: { min: number; max: number }) => (min === max ? String(min) : `${min}–${max}`);

interface TimelinePoint {
  period: string;
  claims: number;
  retracted: number;
  corroborated: number;
  contested: number;
  refuted: number;
  killed: { min: number; max: number };
  wounded: { min: number; max: number };
}
interface TimelineSeries {
  claimant: string;
  subject: string;
  assertion: string;
  points: TimelinePoint[];
}

/** Every series of the API's timeline is on the page, captioned with party names, number for number. */
async function expectTimelineAsApi(page: Page, served: Served, s: Scenario, names: Map<string, string>, query: Record<string, string> = {}) {
  const timeline: { series: TimelineSeries[] } = await read(served, `/api/conflicts/${s.conflictId}/timeline`, { bucket: 'day', by: 'occurred', ...query });
  expect(timeline.series.length).toBeGreaterThan(0);
  for (const series of timeline.series) {
    const caption = `${names.get(series.claimant)} → ${names.get(series.subject)} · ${series.assertion}: claims per day`;
    const expected = series.points.map((p) => [p.period, ...[p.claims, p.retracted, p.corroborated, p.contested, p.refuted].map(String), range(p.killed), range(p.wounded)]);
    expect({ caption, rows: await tableRows(page, caption) }).toEqual({ caption, rows: expected });
  }
}

function watchForProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  return problems;
}

let browser: Browser | undefined;

beforeAll(async () => {
  if (!browserMissing) browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
});

afterAll(async () => {
  await browser?.close();
});

describe('dashboard page', () => {
  let served: Served;
  let s: Scenario;
  let names: Map<string, string>;
  const claimIds: Record<string, string> = {};

  beforeAll(async () => {
    served = await serve();
    s = await seedScenario(served.app);
    await write(served, '/api/conflicts', { name: 'Transnistria (test)', timeZone: 'Europe/Chisinau' });
    names = new Map([
      [s.azerbaijan, 'Azerbaijan'],
      [s.armenia, 'Armenia'],
      [s.artsakh, 'Nagorno-Karabakh authorities'],
      [s.russia, 'Russia'],
    ]);
    const { journalist } = served.app.tokens;
    claimIds.c1 = (await write(served, '/api/claims', claimBody(s), journalist)).id;
    claimIds.c2 = (
      await write(
        served,
        '/api/claims',
        claimBody(s, {
          occurred: { from: '2020-10-11T15:00:00+04:00', precision: 'hour' },
          statedAt: '2020-10-11T18:00:00+04:00',
          casualties: { military: { killed: { min: 2, max: 4 } } },
          summary: MARKUP_SUMMARY,
        }),
        journalist,
      )
    ).id;
    claimIds.c4 = (
      await write(served, '/api/claims', claimBody(s, { occurred: { from: '2020-10-11T10:00:00+04:00', precision: 'hour' }, statedAt: '2020-10-11T12:00:00+04:00', summary: 'Recorded by mistake.' }), journalist)
    ).id;
    await write(served, `/api/claims/${claimIds.c1}/responses`, denialBody(s), journalist);
    await write(served, '/api/claims', claimBody(s, {
      claimant: s.armenia,
      subject: s.azerbaijan,
      occurred: { from: '2020-10-12T22:00:00+04:00', precision: 'hour' },
      statedAt: '2020-10-13T08:00:00+04:00',
      casualties: undefined,
      summary: 'Azerbaijani forces fired on Martuni, the Armenian Defence Ministry said.',
    }), journalist);
    await write(served, `/api/claims/${claimIds.c2}/assessments`, { status: 'corroborated', rationale: 'Two independent outlets.' });
    await write(served, `/api/claims/${claimIds.c4}/void`, { reason: 'Entered twice by mistake; no such statement was made.' });
    for (let hour = 0; hour < 19; hour++) {
      const at = `2020-10-20T${String(hour).padStart(2, '0')}:00:00+04:00`;
      await write(served, '/api/claims', claimBody(s, {
        claimant: s.armenia,
        subject: s.azerbaijan,
        occurred: { from: at, precision: 'hour' },
        statedAt: '2020-10-20T22:00:00+04:00',
        casualties: undefined,
        summary: `Filler allegation ${hour + 1}.`,
      }), journalist);
    }
  });

  afterAll(async () => {
    await served?.app.close();
    await served?.db.close();
  });

  describe('over HTTP', () => {
    it('serves the page at / as HTML under a Content-Security-Policy that allows only its own script and style', async () => {
      const res = await request(served.app.server).get('/').expect(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['content-security-policy']).toBe(PAGE_CSP);
      expect(PAGE_CSP).toMatch(/script-src 'self'(;|$)/);
      expect(PAGE_CSP).toMatch(/style-src 'self'(;|$)/);
      expect(PAGE_CSP).not.toMatch(/unsafe-(inline|eval)/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.text).toContain('<script type="module" src="/page/dashboard.js"></script>');
      expect(res.text).toContain('<link rel="stylesheet" href="/page/dashboard.css">');
      // Nothing inline that the policy would have to allow.
      expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(res.text).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    });

    it('serves its script and style sheet, which need no build step', async () => {
      const script = await request(served.app.server).get('/page/dashboard.js').expect(200);
      expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(script.headers['x-content-type-options']).toBe('nosniff');
      expect(script.text).not.toMatch(/^\s*(import|export)\s/m);
      // API data reaches the page as text only.
      expect(script.text).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
      const styles = await request(served.app.server).get('/page/dashboard.css').expect(200);
      expect(styles.headers['content-type']).toBe('text/css; charset=utf-8');
      expect(styles.text).toContain('@media (max-width');
    });

    it('answers a repeated request with 304 while the file is unchanged', async () => {
      const first = await request(served.app.server).get('/page/dashboard.js').expect(200);
      expect(first.headers.etag).toMatch(/^"[\w-]+"$/);
      expect(first.headers['cache-control']).toBe('no-cache');
      await request(served.app.server).get('/page/dashboard.js').set('If-None-Match', first.headers.etag!).expect(304);
    });

    it('leaves the page out of the API reference and other paths to the API', async () => {
      const docs = await request(served.app.server).get('/docs-json').expect(200);
      expect(Object.keys(docs.body.paths)).not.toContain('/');
      const missing = await request(served.app.server).get('/page/nothing.js').expect(404);
      expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    });
  });

  describe('in a browser', () => {
    let page: Page;
    let problems: string[];

    beforeAll(async () => {
      if (!browser) return;
      page = await browser.newPage({ viewport: { width: 390, height: 844 } });
      problems = watchForProblems(page);
      await page.goto(served.baseUrl);
    });

    afterAll(async () => {
      await page?.close();
    });

    inBrowser('lets the reader pick a conflict, with its time zone and party names', async () => {
      const picker = page.getByLabel('Conflict');
      await eventually(async () => expect(await picker.locator('option').allInnerTexts()).toEqual(['Choose a conflict…', 'Nagorno-Karabakh (2020) (South Caucasus)', 'Transnistria (test)']));
      await picker.selectOption(s.conflictId);
      await eventually(async () => expect(await page.locator('#time-zone').innerText()).toBe('Asia/Baku'));
      expect(await page.locator('#parties').innerText()).toBe('· parties: Azerbaijan, Armenia, Nagorno-Karabakh authorities, Russia');
      expect(page.url()).toContain(`conflict=${s.conflictId}`);
    });

    inBrowser('shows the timeline the API answers, as a chart and a table per claimant and subject', async () => {
      await page.getByRole('table', { name: 'Azerbaijan → Armenia · violated: claims per day', exact: true }).waitFor();
      await expectTimelineAsApi(page, served, s, names);
      // Known by hand: c1 and c2 on 11 October (c4 is voided), killed 1 + 2–4, wounded 3–5.
      const rows = await tableRows(page, 'Azerbaijan → Armenia · violated: claims per day');
      expect(rows).toContainEqual(['2020-10-11', '2', '0', '1', '0', '0', '3–5', '3–5']);
      const bars = page.locator('figure.series.violated').first().locator('svg[role="img"] rect.bar');
      expect(await bars.count()).toBeGreaterThan(0);
      expect(await bars.first().locator('title').textContent()).toMatch(/^2020-10-\d\d: \d+ claims?$/);
    });

    inBrowser('shows the scorecard of the chosen agreement and the timeline under it', async () => {
      await page.getByLabel('Agreement', { exact: true }).selectOption(s.agreementId);
      const caption = /^Moscow humanitarian ceasefire, in force from 10 Oct 2020, 12:00$/;
      await page.getByRole('table', { name: caption }).waitFor();
      const scorecard = await read(served, `/api/agreements/${s.agreementId}/scorecard`);
      const expected = (scorecard.rows as Record<string, string | number>[])
        .map((r) => [
          names.get(String(r.claimant))!,
          names.get(String(r.subject))!,
          ...(['violationsAlleged', 'complianceAsserted', 'denied', 'counterAccused', 'retracted', 'corroborated', 'contested', 'refuted'] as const).map((k) => String(r[k])),
        ])
        .sort((a, b) => a[0]!.localeCompare(b[0]!) || a[1]!.localeCompare(b[1]!));
      const shown = (await tableRows(page, caption)).map((row) => row.slice(0, 10));
      expect(shown).toEqual(expected);
      // Known by hand: Azerbaijan → Armenia has c1 and c2 (c4 voided), c1 denied, c2 corroborated.
      expect(shown).toContainEqual(['Azerbaijan', 'Armenia', '2', '0', '1', '0', '0', '1', '0', '0']);
      await expectTimelineAsApi(page, served, s, names, { agreementId: s.agreementId });
      await page.getByLabel('Agreement', { exact: true }).selectOption('');
      await page.getByText('Choose an agreement to see its scorecard.').waitFor();
    });

    inBrowser('lists the latest claims as text, with party names and what counts, and more on demand', async () => {
      const list = await read(served, '/api/claims', { conflictId: s.conflictId, limit: 20 });
      const claims = page.getByRole('table', { name: /^Newest alleged first/ });
      await eventually(async () => expect(await claims.locator('tbody tr').count()).toBe(list.items.length));
      expect(list.nextCursor).not.toBeNull();
      await page.getByRole('button', { name: 'More claims' }).click();
      const total = 5 + 19;
      await eventually(async () => expect(await claims.locator('tbody tr').count()).toBe(total));
      expect(await page.getByRole('button', { name: 'More claims' }).isHidden()).toBe(true);

      const voided = claims.locator('tbody tr', { hasText: 'Recorded by mistake.' });
      expect((await voided.locator('th, td').allInnerTexts()).map((t) => t.trim())).toEqual([
        '11 Oct 2020, 10:00',
        'Azerbaijan → Armenia',
        'violated',
        'Recorded by mistake.',
        'unverified',
        'voided',
      ]);
      const denial = claims.locator('tbody tr', { hasText: 'denied shelling Tartar' });
      expect(await denial.locator('td').nth(1).innerText()).toBe('complied (denial)');
      // Free text stays text: the markup in c2's summary is shown, never parsed.
      const marked = claims.locator('tbody tr', { hasText: 'Shelling near' });
      expect(await marked.locator('td').nth(2).innerText()).toBe(MARKUP_SUMMARY);
      expect(await marked.locator('td').nth(3).innerText()).toBe('corroborated');
      expect(await page.locator('main img, main b').count()).toBe(0);
      expect(await page.evaluate('window.__pwned')).toBeUndefined();
    });

    inBrowser('refreshes by itself when a claim is recorded, following /api/live', async () => {
      await eventually(async () => expect(await page.locator('#live-state').innerText()).toBe('live'));
      await page.evaluate('window.__sameDocument = true');
      const written = await write(
        served,
        '/api/claims',
        claimBody(s, {
          occurred: { from: '2020-10-11T20:00:00+04:00', precision: 'hour' },
          statedAt: '2020-10-11T22:00:00+04:00',
          casualties: undefined,
          summary: 'Armenian forces shelled Tartar again in the evening, the ministry said.',
        }),
        served.app.tokens.journalist,
      );
      await eventually(async () => expect(await page.locator('#updated').innerText()).toMatch(new RegExp(`^updated at position ${written.position} `)));
      expect(await tableRows(page, 'Azerbaijan → Armenia · violated: claims per day')).toContainEqual(['2020-10-11', '3', '0', '1', '0', '0', '3–5', '3–5']);
      await expectTimelineAsApi(page, served, s, names);
      // The list keeps the 24 claims loaded ("more" included), and this one is among them.
      await page.getByText('Armenian forces shelled Tartar again in the evening, the ministry said.').waitFor();
      expect(await page.evaluate('window.__sameDocument')).toBe(true);
      expect(problems).toEqual([]);
    });
  });
});

describe('dashboard page when reads need a token', () => {
  let served: Served;
  let s: Scenario;

  beforeAll(async () => {
    served = await serve({ PUBLIC_READS: 'false' });
    s = await seedScenario(served.app);
    await write(served, '/api/claims', claimBody(s), served.app.tokens.journalist);
  });

  afterAll(async () => {
    await served?.app.close();
    await served?.db.close();
  });

  it('still serves the page to anyone, while the API asks for a token', async () => {
    await request(served.app.server).get('/').expect(200).expect('content-type', /^text\/html/);
    await request(served.app.server).get('/page/dashboard.js').expect(200);
    await request(served.app.server).get('/api/conflicts').expect(401);
  });

  inBrowser('asks for a token, keeps it for the tab, and follows the live feed with it', async () => {
    const page = await browser!.newPage();
    try {
      await page.goto(served.baseUrl);
      const prompt = page.getByRole('region', { name: 'A token is needed' });
      await prompt.waitFor();
      await page.getByLabel('Bearer token').fill('not-a-token-at-all');
      await page.getByRole('button', { name: 'Use this token' }).click();
      await eventually(async () => expect(await page.locator('#token-reason').innerText()).toMatch(/^That token was refused/));

      await page.getByLabel('Bearer token').fill(served.app.tokens.reader);
      await page.getByRole('button', { name: 'Use this token' }).click();
      // One conflict: nothing to choose, it is shown at once.
      const caption = 'Azerbaijan → Armenia · violated: claims per day';
      await page.getByRole('table', { name: caption, exact: true }).waitFor();
      expect(await prompt.isHidden()).toBe(true);
      expect(await tableRows(page, caption)).toEqual([['2020-10-11', '1', '0', '0', '0', '0', '1', '3–5']]);
      expect(await page.evaluate("sessionStorage.getItem('ceasefire-tracker.token')")).toBe(served.app.tokens.reader);

      // EventSource cannot send the token: the page reads the same feed through fetch.
      await eventually(async () => expect(await page.locator('#live-state').innerText()).toBe('live'));
      const written = await write(served, '/api/claims', claimBody(s, { summary: 'A second allegation.' }), served.app.tokens.journalist);
      await eventually(async () => expect(await page.locator('#updated').innerText()).toMatch(new RegExp(`^updated at position ${written.position} `)));
      expect(await tableRows(page, caption)).toEqual([['2020-10-11', '2', '0', '0', '0', '0', '2', '6–10']]);
    } finally {
      await page.close();
    }
  });
});
