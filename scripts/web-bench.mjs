// npm run bench:web — the web app measured in Debian's Chromium against `npm start` on a fresh
// embedded database: the JavaScript the first route needs (gzip), the time from navigation to
// an interactive "Record a claim" form, and to a rendered claim page with a 40-response thread.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const root = join(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const ADMIN = 'bench-admin-token-0123456789abcdef';
const port = await new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address();
    s.close(() => resolve(port));
  });
});
const base = `http://127.0.0.1:${port}`;
const dataDir = mkdtempSync(join(tmpdir(), 'web-bench-'));
const server = spawn(process.execPath, [join(root, 'dist', 'src', 'main.js')], {
  env: { ...process.env, PORT: String(port), DATA_DIR: join(dataDir, 'data'), ADMIN_TOKEN: ADMIN, LOG_LEVEL: 'warn', DEMO: 'true' },
  stdio: 'inherit',
});
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function api(method, path, body, token = ADMIN) {
  const res = await fetch(base + path, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

try {
  for (let i = 0; ; i++) {
    if (i > 240) throw new Error('the server did not start');
    if (await fetch(`${base}/health`).then((r) => r.ok, () => false)) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const journalist = (await api('POST', '/api/admin/tokens', { name: 'bench desk', role: 'journalist' })).token;
  const [conflict] = (await api('GET', '/api/conflicts')).items;
  const { parties } = await api('GET', `/api/conflicts/${conflict.id}`);
  const [az, am] = parties;
  const claim = (overrides) => ({
    claimant: az.id, subject: am.id, assertion: 'violated', category: 'shelling',
    occurred: { from: '2020-10-20T01:00:00+04:00', precision: 'hour' }, statedAt: '2020-10-20T09:00:00+04:00',
    summary: 'Shelling near Tartar overnight, the ministry said.',
    attributions: [{ outlet: 'APA', reliability: 'B', credibility: 3 }], ...overrides,
  });
  const opening = await api('POST', '/api/claims', { conflictId: conflict.id, ...claim({}) }, journalist);
  // 40 responses: 20 denials of the claim, each answered by a counter-accusation.
  let position = opening.position;
  for (let i = 0; i < 20; i++) {
    const denial = await api('POST', `/api/claims/${opening.id}/responses`, claim({ claimant: am.id, subject: am.id, assertion: 'complied', stance: 'denial', category: 'ceasefire-statement', summary: `Denial ${i + 1}`, statedAt: '2020-10-20T12:00:00+04:00' }), journalist);
    const counter = await api('POST', `/api/claims/${denial.id}/responses`, claim({ claimant: az.id, subject: am.id, stance: 'counter-accusation', summary: `Counter-accusation ${i + 1}`, statedAt: '2020-10-20T15:00:00+04:00' }), journalist);
    position = counter.position;
  }
  await api('GET', `/api/claims/${opening.id}/thread?minPosition=${position}`);

  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  const results = { formMs: [], claimMs: [], firstRouteJs: null };
  for (let run = 0; run < RUNS; run++) {
    // A new context each run: a cold cache, as a first visit.
    const context = await browser.newContext({ baseURL: base });
    await context.addInitScript((token) => sessionStorage.setItem('ceasefire-tracker.token', token), journalist);
    const page = await context.newPage();
    const scripts = new Set();
    page.on('request', (r) => r.resourceType() === 'script' && scripts.add(new URL(r.url()).pathname));
    await page.goto('/claims/new');
    await page.getByLabel('Claimant').locator('option', { hasText: az.shortName ?? az.name }).waitFor({ state: 'attached' });
    results.formMs.push(await page.evaluate(() => performance.now()));
    if (run === 0) {
      const files = [...scripts].map((p) => readFileSync(join(root, 'dist', 'web', p)));
      results.firstRouteJs = { files: files.length, raw: files.reduce((n, f) => n + f.length, 0), gzip: files.reduce((n, f) => n + gzipSync(f, { level: 9 }).length, 0) };
    }
    await page.goto(`/claims/${opening.id}`);
    await page.getByRole('list', { name: 'Claims in this thread' }).getByRole('listitem').nth(40).waitFor();
    results.claimMs.push(await page.evaluate(() => performance.now()));
    await context.close();
  }
  await browser.close();
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  console.log(`\n| measure | median of ${RUNS} | all runs |\n| --- | --- | --- |`);
  console.log(`| JavaScript for the first route (/claims/new), gzip -9 | ${kb(results.firstRouteJs.gzip)} (${results.firstRouteJs.files} files, ${kb(results.firstRouteJs.raw)} raw) | |`);
  console.log(`| navigation → interactive "Record a claim" form (parties loaded) | ${Math.round(median(results.formMs))} ms | ${results.formMs.map(Math.round).join(', ')} |`);
  console.log(`| navigation → claim page with its 40-response thread rendered | ${Math.round(median(results.claimMs))} ms | ${results.claimMs.map(Math.round).join(', ')} |`);
} finally {
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
}
