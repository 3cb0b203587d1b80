/* global document */
// npm run bench:dashboard — navigation → rendered dashboard in Debian's Chromium against the
// built server on an existing database (DATABASE_URL, e.g. the one `BENCH_KEEP_DB=1 npm run
// bench:read` kept), and the size of every JSON answer the dashboard loads.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const root = join(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL: the database to measure on (see docs/benchmarks.md)');
const port = await new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address();
    s.close(() => resolve(port));
  });
});
const base = `http://127.0.0.1:${port}`;
const server = spawn(process.execPath, [join(root, 'dist', 'src', 'main.js')], {
  env: { ...process.env, PORT: String(port), LOG_LEVEL: 'warn', READ_CACHE_SECONDS: '0' },
  stdio: 'inherit',
});
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

try {
  for (let i = 0; ; i++) {
    if (i > 480) throw new Error('the server did not start');
    if (await fetch(`${base}/health`).then((r) => r.ok, () => false)) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const conflicts = (await (await fetch(`${base}/api/conflicts`)).json()).items;
  const conflict = conflicts[0];
  const detail = await (await fetch(`${base}/api/conflicts/${conflict.id}`)).json();
  const agreement = detail.agreements[0];
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  const views = { 'whole conflict, by day': `/?conflictId=${conflict.id}`, 'one agreement, by day': `/?conflictId=${conflict.id}&agreementId=${agreement?.id ?? ''}` };
  const results = {};
  for (const [name, path] of Object.entries(views)) {
    const timeline = [];
    const complete = [];
    let sizes = {};
    for (let run = 0; run < RUNS; run++) {
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      const page = await context.newPage();
      const answers = {};
      page.on('response', async (response) => {
        const url = new URL(response.url());
        if (!url.pathname.startsWith('/api/')) return;
        try {
          answers[`${url.pathname.replace(/[0-9a-f-]{36}/g, ':id')}`] = (await response.body()).length;
        } catch {
          // the live feed (an open stream) has no body to read
        }
      });
      const start = Date.now();
      await page.goto(base + path);
      await page.locator('section[aria-labelledby="timeline-heading"] svg').first().waitFor({ timeout: 120_000 });
      timeline.push(Date.now() - start);
      await page.locator('section[aria-labelledby="sources-heading"] table, section[aria-labelledby="sources-heading"] .empty').first().waitFor({ timeout: 120_000 });
      await page.waitForFunction(() => document.querySelectorAll('.claims-map .leaflet-overlay-pane path').length > 100, null, { timeout: 300_000 });
      complete.push(Date.now() - start);
      sizes = answers;
      await context.close();
    }
    results[name] = { path, runs: RUNS, timelineChartMs: { median: median(timeline), all: timeline }, everyPanelMs: { median: median(complete), all: complete }, answerBytes: sizes };
  }
  await browser.close();
  console.log(JSON.stringify({ conflict: conflict.name, claims: process.env.BENCH_CLAIMS_NOTE ?? null, results }, null, 2));
} finally {
  server.kill();
}
