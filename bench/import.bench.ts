/**
 * Import and export benchmark (`npm run bench:import`, see docs/benchmarks.md): writes a CSV of
 * the import template with BENCH_IMPORT_ROWS rows (default 100,000), imports it into a new
 * conflict of a fresh database through the same service as POST /api/conflicts/:id/imports
 * (check pass, then the group-commit write pass), sampling memory every 250 ms to show whether
 * it stays flat; then projects the claims and streams the claims CSV export of them, counting
 * rows per second. Prints a summary and writes bench/results/import-<time>.json.
 *
 *   BENCH_IMPORT_ROWS   rows to import (default 100,000); 0: no import, only the export of BENCH_EXPORT_URL
 *   BENCH_EXPORT_URL    also time the export on this database (e.g. one kept by BENCH_KEEP_DB=1
 *                       npm run bench:read, with its 1,000,000 claims), all its claims
 *   BENCH_DATABASE_URL  the server (default postgresql://postgres@127.0.0.1:5432/postgres)
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { stringify } from 'csv-stringify';
import { Client } from 'pg';
import { AppModule } from '../src/app.module';
import { RegisterConflictCommand } from '../src/conflicts/commands/register-conflict.handler';
import { AddPartyCommand } from '../src/conflicts/commands/add-party.handler';
import { EXPORT_COLUMNS } from '../src/exports/claim-export-row';
import { ClaimsExport } from '../src/exports/claims-export.service';
import { ClaimImport } from '../src/imports/claim-import.service';
import { templateHeader } from '../src/imports/domain/claim-row';
import { ProjectionRunner } from '../src/projections/projection-runner.service';
import type { CommandMeta } from '../src/shared/command';
import { bakuIso, HOUR, intSetting, prng } from './support';

const ROWS = intSetting('BENCH_IMPORT_ROWS', 100_000, 0);
const SERVER = process.env.BENCH_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
const urlOf = (db: string) => SERVER.replace(/\/[^/]*$/, `/${db}`);
const META: CommandMeta = {
  actor: { tokenId: 'bench', name: 'import benchmark' },
  role: 'admin',
  requestId: 'bench',
  correlationId: 'bench',
  causationId: null,
  idempotencyKey: null,
  requestHash: 'bench',
};
const MB = 1024 * 1024;

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: SERVER });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Rows as a desk's spreadsheet has them: names, local times, two sources, casualty ranges. */
async function writeCsv(file: string, rows: number): Promise<void> {
  const r = prng(16);
  const header = templateHeader(2);
  const start = Date.parse('2020-09-27T00:00:00Z');
  const places = ['Tartar', 'Ganja', 'Stepanakert', 'Fuzuli', 'Aghdam', 'Barda', 'Shusha', 'Hadrut'];
  function* lines() {
    yield header;
    for (let i = 0; i < rows; i++) {
      const at = start + r.int(0, 24 * 44) * HOUR;
      const accuser = r.chance(0.5);
      const cells: Record<string, string> = {
        claimant: accuser ? 'Azerbaijan' : 'ARM',
        subject: accuser ? 'Armenia' : 'AZ',
        assertion: 'violated',
        category: r.pick(['shelling', 'drone-strike', 'small-arms', 'missile-strike']),
        occurred_from: new Date(at + 4 * HOUR).toISOString().slice(0, 16).replace('T', ' '),
        occurred_precision: 'hour',
        stated_at: bakuIso(at + r.int(1, 12) * HOUR),
        location: r.pick(places),
        latitude: (39.5 + r.next()).toFixed(4),
        longitude: (46 + r.next()).toFixed(4),
        geo_precision: 'settlement',
        civilian_killed_min: String(r.int(0, 3)),
        civilian_killed_max: String(r.int(3, 6)),
        summary: `Row ${i}: shelling of ${r.pick(places)} reported by the ministry, with damage to houses and a school.`,
        source1_outlet: r.pick(['APA', 'TASS', 'Armenpress', 'Reuters']),
        source1_speaker: accuser ? 'Azerbaijani Defence Ministry' : 'Armenian Defence Ministry',
        source1_url: `https://example.org/news/${i}`,
        source1_reliability: r.pick(['A', 'B', 'C']),
        source1_credibility: String(r.int(1, 4)),
        source2_outlet: r.chance(0.3) ? 'Interfax' : '',
        source2_reliability: '',
        source2_credibility: '',
      };
      if (cells.source2_outlet) Object.assign(cells, { source2_reliability: 'B', source2_credibility: '3' });
      yield header.map((c) => cells[c] ?? '');
    }
  }
  await pipeline(Readable.from(lines()), stringify(), createWriteStream(file));
}

/** Samples RSS and heap every 250 ms while `work` runs. */
async function sampled<T>(work: () => Promise<T>): Promise<{ result: T; samples: { s: number; rssMb: number; heapMb: number }[] }> {
  const samples: { s: number; rssMb: number; heapMb: number }[] = [];
  const t0 = performance.now();
  const take = () => {
    const m = process.memoryUsage();
    samples.push({ s: Math.round((performance.now() - t0) / 100) / 10, rssMb: Math.round(m.rss / MB), heapMb: Math.round(m.heapUsed / MB) });
  };
  take();
  const timer = setInterval(take, 250);
  try {
    const result = await work();
    take();
    return { result, samples };
  } finally {
    clearInterval(timer);
  }
}

async function timeExport(app: INestApplicationContext, conflictId?: string): Promise<{ rows: number; seconds: number; rowsPerSecond: number }> {
  let rows = 0;
  const t1 = performance.now();
  await pipeline(
    Readable.from(app.get(ClaimsExport).rows(conflictId ? ({ conflictId } as never) : ({} as never))),
    stringify({ header: true, columns: [...EXPORT_COLUMNS] }),
    new Writable({
      write(chunk: Buffer, _enc, done) {
        rows += chunk.toString().split('\n').length - 1;
        done();
      },
    }),
  );
  const seconds = (performance.now() - t1) / 1000;
  return { rows: rows - 1, seconds: Math.round(seconds * 10) / 10, rowsPerSecond: Math.round((rows - 1) / seconds) };
}

/** BENCH_IMPORT_ROWS=0: only the export of every claim of BENCH_EXPORT_URL's database. */
async function exportOnly(url: string): Promise<void> {
  const load0 = loadavg().map((l) => Math.round(l * 10) / 10);
  console.log(`Export benchmark: every claim of ${url}; load average ${load0.join(' ')} on ${cpus().length} cores`);
  const app = await NestFactory.createApplicationContext(AppModule.forRoot({ DATABASE_URL: url, DEMO: 'false', LOG_LEVEL: 'warn' }, { background: false }), {
    logger: ['error', 'warn'],
  });
  try {
    const { result: exportLarge, samples } = await sampled(() => timeExport(app));
    const peak = { rssMb: Math.max(...samples.map((s) => s.rssMb)), heapMb: Math.max(...samples.map((s) => s.heapMb)) };
    const load1 = loadavg().map((l) => Math.round(l * 10) / 10);
    console.log(`export: ${exportLarge.rows} rows in ${exportLarge.seconds} s = ${exportLarge.rowsPerSecond} rows/s; peak RSS ${peak.rssMb} MB, heap ${peak.heapMb} MB; load average after ${load1.join(' ')}`);
    mkdirSync(join(process.cwd(), 'bench', 'results'), { recursive: true });
    const out = join(process.cwd(), 'bench', 'results', `export-${new Date().toISOString().replace(/[:.]/g, '').slice(0, 15)}Z.json`);
    writeFileSync(out, `${JSON.stringify({ database: url.replace(/^.*\//, ''), exportLarge, peak, loadavgBefore: load0, loadavgAfter: load1, samples: samples.filter((_, i) => i % 20 === 0) }, null, 1)}\n`);
    console.log(`Wrote ${out}`);
  } finally {
    await app.close();
  }
}

async function main(): Promise<void> {
  if (ROWS === 0) {
    if (!process.env.BENCH_EXPORT_URL) throw new Error('BENCH_IMPORT_ROWS=0 times only the export: give BENCH_EXPORT_URL');
    return exportOnly(process.env.BENCH_EXPORT_URL);
  }
  const db = `ceasefire_bench_import_${randomBytes(4).toString('hex')}`;
  const dir = join(tmpdir(), db);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'claims.csv');
  console.log(`Import benchmark: ${ROWS.toLocaleString('en')} rows; database ${db}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores`);
  await writeCsv(file, ROWS);
  await admin(`CREATE DATABASE ${db}`);
  let app: INestApplicationContext | null = null;
  try {
    app = await NestFactory.createApplicationContext(AppModule.forRoot({ DATABASE_URL: urlOf(db), DEMO: 'false', LOG_LEVEL: 'warn' }, { background: false }), {
      logger: ['error', 'warn'],
    });
    const commands = app.get(CommandBus);
    const conflict = await commands.execute(new RegisterConflictCommand({ name: 'Bench conflict', timeZone: 'Asia/Baku' } as never, META));
    await commands.execute(new AddPartyCommand(conflict.id, { name: 'Azerbaijan', kind: 'state', aliases: ['AZ'] } as never, undefined, META));
    await commands.execute(new AddPartyCommand(conflict.id, { name: 'Armenia', shortName: 'ARM', kind: 'state' } as never, undefined, META));
    const importer = app.get(ClaimImport);
    let checkedAt = 0;
    const t0 = performance.now();
    const { result: report, samples } = await sampled(() =>
      importer.importFile(file, {
        conflictId: conflict.id,
        format: 'csv',
        mode: 'all-or-nothing',
        dryRun: false,
        meta: META,
        onProgress: (phase, rows) => {
          if (phase === 'check' && rows === ROWS) checkedAt = performance.now();
        },
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    const checkSeconds = (checkedAt - t0) / 1000;
    if (report.appended !== ROWS) throw new Error(`appended ${report.appended} of ${ROWS}: ${JSON.stringify(report.errors.slice(0, 3))}`);
    const peak = { rssMb: Math.max(...samples.map((s) => s.rssMb)), heapMb: Math.max(...samples.map((s) => s.heapMb)) };
    const tenths = [0.1, 0.3, 0.5, 0.7, 0.9, 1].map((f) => samples[Math.min(samples.length - 1, Math.floor(f * (samples.length - 1)))]!);
    console.log(`import: ${ROWS} rows in ${seconds.toFixed(1)} s = ${Math.round(ROWS / seconds)} rows/s (check pass ${checkSeconds.toFixed(1)} s, ${Math.round(ROWS / checkSeconds)} rows/s)`);
    console.log(`memory: peak RSS ${peak.rssMb} MB, peak heap ${peak.heapMb} MB; through the run (s: rss/heap MB): ${tenths.map((s) => `${s.s}: ${s.rssMb}/${s.heapMb}`).join(', ')}`);
    const again = performance.now();
    const second = await importer.importFile(file, { conflictId: conflict.id, format: 'csv', mode: 'all-or-nothing', dryRun: false, meta: META });
    const againSeconds = (performance.now() - again) / 1000;
    console.log(`second upload of the same file: ${second.appended} appended, ${second.alreadyImported} already imported, ${againSeconds.toFixed(1)} s`);
    const p0 = performance.now();
    await app.get(ProjectionRunner).catchUp();
    const projectSeconds = (performance.now() - p0) / 1000;
    const exported = await timeExport(app, conflict.id);
    console.log(`projections caught up in ${projectSeconds.toFixed(1)} s; export: ${exported.rows} rows in ${exported.seconds} s = ${exported.rowsPerSecond} rows/s`);
    let exportLarge: Awaited<ReturnType<typeof timeExport>> | null = null;
    if (process.env.BENCH_EXPORT_URL) {
      await app.close();
      app = await NestFactory.createApplicationContext(AppModule.forRoot({ DATABASE_URL: process.env.BENCH_EXPORT_URL, DEMO: 'false', LOG_LEVEL: 'warn' }, { background: false }), {
        logger: ['error', 'warn'],
      });
      exportLarge = await timeExport(app);
      console.log(`export of ${process.env.BENCH_EXPORT_URL}: ${exportLarge.rows} rows in ${exportLarge.seconds} s = ${exportLarge.rowsPerSecond} rows/s`);
    }
    mkdirSync(join(process.cwd(), 'bench', 'results'), { recursive: true });
    const out = join(process.cwd(), 'bench', 'results', `import-${new Date().toISOString().replace(/[:.]/g, '').slice(0, 15)}Z.json`);
    writeFileSync(
      out,
      `${JSON.stringify(
        { rows: ROWS, seconds, rowsPerSecond: Math.round(ROWS / seconds), checkSeconds, peak, samples, second: { ...second, errors: undefined, seconds: againSeconds }, projectSeconds, export: exported, exportLarge, loadavg: loadavg() },
        null,
        1,
      )}\n`,
    );
    console.log(`Wrote ${out}`);
  } finally {
    await app?.close();
    await admin(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
