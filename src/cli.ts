import 'reflect-metadata';
import { createReadStream, createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { Presets, SingleBar } from 'cli-progress';
import { Command, InvalidArgumentError, Option } from 'commander';
import { stringify } from 'csv-stringify/sync';
import { DataSource } from 'typeorm';
import { AppModule } from './app.module';
import { createFastifyAdapter, NEST_APPLICATION_OPTIONS } from './app.setup';
import { createOpenApiDocument } from './openapi/openapi-document';
import { APP_VERSION } from './version';
import { isAsOf, parseAsOf } from './audit/as-of';
import { AsOfTimeline } from './audit/as-of-timeline.service';
import { LogTransfer } from './audit/log-transfer.service';
import { ROLES, type Role } from './auth/roles';
import { TokenService } from './auth/token.service';
import { loadDemoScenario } from './demo/demo-scenario';
import { EventStore } from './event-store/event-store.service';
import { ClaimImport } from './imports/claim-import.service';
import { ProjectionRunner } from './projections/projection-runner.service';
import type { CommandMeta } from './shared/command';
import { NotFoundError } from './shared/domain-error';

/** The command line's own actor in event metadata. */
const CLI_META: CommandMeta = {
  actor: { tokenId: 'command-line', name: 'npm run cli' },
  role: 'admin',
  requestId: `cli-${process.pid}`,
  correlationId: `cli-${process.pid}`,
  causationId: null,
  idempotencyKey: null,
  requestHash: 'cli',
};

/**
 * The same modules as the server, without HTTP and without the projectors' background loops;
 * DEMO is off so that a command sees the store as it is.
 */
async function withApp<T>(work: (app: INestApplicationContext) => Promise<T>): Promise<T> {
  // Silent while starting: a failure to start (a DATA_DIR another process holds) is one line below, not a stack.
  const app = await NestFactory.createApplicationContext(AppModule.forRoot({ DEMO: 'false' }, { background: false }), {
    logger: false,
    abortOnError: false,
  });
  app.useLogger(['error', 'warn']);
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}

/** A progress bar on stderr, so that stdout stays clean for output. */
function progressBar(label: string): SingleBar {
  const bar = new SingleBar(
    { format: `${label.padEnd(8)} {bar} {percentage}% | {value}/{total} events | {eta_formatted} left`, stream: process.stderr },
    Presets.shades_classic,
  );
  bar.start(1, 0);
  return bar;
}

const program = new Command('ceasefire')
  .description('Ceasefire tracker: the same modules as the server, from the command line')
  .showHelpAfterError();

program
  .command('demo')
  .description('Record the demo scenario (the Moscow humanitarian ceasefire of 10 October 2020) through the ordinary commands')
  .action(() =>
    withApp(async (app) => {
      const { conflictId, events } = await loadDemoScenario(app.get(CommandBus), { ...CLI_META, actor: { tokenId: 'demo-loader', name: 'demo data' } });
      console.log(`Recorded the demo scenario: conflict ${conflictId}, ${events} events (head position ${(await app.get(EventStore).head()).position}).`);
    }),
  );

program
  .command('rebuild')
  .description('Rebuild read models from position 0 beside the live ones, then switch atomically (all projections, or one)')
  .argument('[name]', 'a projection: claims or sources')
  .action((name: string | undefined) =>
    withApp(async (app) => {
      const runner = app.get(ProjectionRunner);
      for (const projection of name ? [name] : runner.names) {
        const bar = progressBar(projection);
        const status = await runner.rebuild(projection, ({ position, head }) => {
          bar.setTotal(Math.max(head, 1));
          bar.update(position);
        });
        bar.stop();
        console.log(`${projection}: rebuilt up to position ${status.checkpoint}; ${status.readModels.map((m) => `${m.name} ${m.digest}`).join(', ')}`);
      }
    }),
  );

program
  .command('verify')
  .description('Recompute the hash chain over the whole log; exits 1 and names the position when it is broken')
  .action(() =>
    withApp(async (app) => {
      const bar = progressBar('verify');
      const result = await app.get(EventStore).verifyChain({}, (checked, total) => {
        bar.setTotal(Math.max(total, 1));
        bar.update(checked);
      });
      bar.stop();
      if (result.ok) {
        console.log(`The chain verifies: ${result.checked} events, head ${result.headPosition} ${result.headHash ?? '(empty log)'}`);
      } else {
        const m = result.firstMismatch!;
        console.error(`The chain is broken at position ${m.position}: its hash should be ${m.expectedHash}, the log has ${m.actualHash}`);
        process.exitCode = 1;
      }
    }),
  );

program
  .command('export')
  .description('Write the whole log as NDJSON, one event a line, with its hashes')
  .argument('<file>', 'where to write it')
  .action((file: string) =>
    withApp(async (app) => {
      const total = await app.get(EventStore).headPosition();
      const bar = progressBar('export');
      bar.setTotal(Math.max(total, 1));
      let written = 0;
      const lines = Readable.from(
        (async function* () {
          for await (const line of app.get(LogTransfer).exportLines()) {
            if (++written % 1000 === 0) bar.update(written);
            yield line;
          }
        })(),
      );
      await pipeline(lines, createWriteStream(file, { flags: 'wx' }));
      bar.update(written);
      bar.stop();
      console.log(`Exported ${written} events to ${file}`);
    }),
  );

program
  .command('import')
  .description('Load an export into an empty store; a file whose chain does not verify is refused whole, naming the line')
  .argument('<file>', 'an NDJSON export')
  .action((file: string) =>
    withApp(async (app) => {
      const bar = progressBar('import');
      const result = await app.get(LogTransfer).importFile(file, (phase, events) => {
        bar.setTotal(Math.max(events, 1));
        bar.update(events, { phase });
      });
      bar.stop();
      console.log(`Imported ${result.imported} events; head ${result.head.position} ${result.head.hash ?? ''}. Start the server to project them.`);
    }),
  );

program
  .command('replay')
  .description('Print the timeline of every conflict as the record stood at a time')
  .requiredOption('--until <time>', 'an ISO 8601 date and time with an offset, or a log position')
  .option('--bucket <bucket>', 'day, week or month', 'day')
  .option('--by <by>', 'occurred or stated', 'occurred')
  .action(({ until, bucket, by }: { until: string; bucket: 'day' | 'week' | 'month'; by: 'occurred' | 'stated' }) =>
    withApp(async (app) => {
      if (!isAsOf(until)) throw new InvalidArgumentError('--until must be an ISO 8601 date and time with an offset, or a position');
      if (!['day', 'week', 'month'].includes(bucket) || !['occurred', 'stated'].includes(by)) throw new InvalidArgumentError('--bucket day|week|month, --by occurred|stated');
      const conflicts: { conflict_id: string }[] = await app.get(DataSource).query(
        `SELECT data->>'conflictId' AS conflict_id FROM events WHERE type = 'ConflictRegistered' ORDER BY position`,
      );
      const timelines = [];
      for (const { conflict_id } of conflicts) {
        try {
          timelines.push(await app.get(AsOfTimeline).timeline(conflict_id, { bucket, by }, parseAsOf(until)));
        } catch (error) {
          if (!(error instanceof NotFoundError)) throw error; // registered after that time
        }
      }
      console.log(JSON.stringify(timelines, null, 2));
    }),
  );

program
  .command('openapi')
  .description('Print the OpenAPI document the server serves at /docs-json (needs no database of yours)')
  .action(async () => {
    const app = await NestFactory.create(
      AppModule.forRoot({ DATABASE_URL: undefined, DATA_DIR: 'memory://', DEMO: 'false' }, { background: false }),
      createFastifyAdapter(),
      { ...NEST_APPLICATION_OPTIONS, logger: false, abortOnError: false },
    );
    try {
      process.stdout.write(`${JSON.stringify(createOpenApiDocument(app, APP_VERSION), null, 2)}\n`);
    } finally {
      await app.close();
    }
  });

program
  .command('import-claims')
  .description("Import claims into a conflict from a CSV file (the template of docs/claims-import.md) or JSON Lines (.jsonl, .ndjson); prints the report")
  .argument('<file>', 'the file')
  .requiredOption('--conflict <id>', 'the conflict the claims belong to')
  .option('--dry-run', 'only check the file and print the report', false)
  .option('--valid-only', 'record the valid rows even if some are invalid (default: all or nothing)', false)
  .option('--report <file>', 'also write the report (row, column, message) to this CSV file')
  .action((file: string, options: { conflict: string; dryRun: boolean; validOnly: boolean; report?: string }) =>
    withApp(async (app) => {
      const format = /\.(jsonl|ndjson)$/i.test(file) ? 'jsonl' : 'csv';
      const lines = await countLines(file);
      const bar = new SingleBar(
        { format: '{phase} {bar} {percentage}% | {value}/{total} rows | {eta_formatted} left', stream: process.stderr },
        Presets.shades_classic,
      );
      bar.start(Math.max(lines - (format === 'csv' ? 1 : 0), 1), 0, { phase: 'check ' });
      const report = await app.get(ClaimImport).importFile(file, {
        conflictId: options.conflict,
        format,
        mode: options.validOnly ? 'valid-only' : 'all-or-nothing',
        dryRun: options.dryRun,
        meta: { ...CLI_META, actor: { tokenId: 'command-line', name: 'npm run cli -- import-claims' } },
        onProgress: (phase, rows, total) => {
          if (phase === 'write') {
            if (total !== undefined) bar.setTotal(Math.max(total, 1));
            bar.update(rows, { phase: 'record' });
          } else bar.update(rows);
        },
      });
      bar.stop();
      for (const e of report.errors.slice(0, 50)) console.log(`row ${e.row}, ${e.column}: ${e.message}`);
      if (report.errors.length + report.errorsOmitted > 50) console.log(`… and ${report.errors.length + report.errorsOmitted - 50} more problems${options.report ? '' : ' (--report FILE writes the first 10,000)'}`);
      if (options.report) await writeFile(options.report, stringify(report.errors, { header: true, columns: ['row', 'column', 'message'] }), { flag: 'wx' });
      console.log(
        `${report.rows} rows: ${report.valid} valid, ${report.invalid} invalid. ` +
          (report.written ? `Recorded ${report.appended} claims; ${report.alreadyImported} were already recorded by an earlier import of this file.` : 'Nothing was recorded.'),
      );
      if (report.invalid > 0 && !options.validOnly && !options.dryRun) {
        console.error('All or nothing: fix the rows above, or run again with --valid-only.');
        process.exitCode = 1;
      }
    }),
  );

/** Lines in a file, for the progress bar's total (a quoted newline counts too: it is an estimate). */
async function countLines(file: string): Promise<number> {
  let lines = 0;
  for await (const chunk of createReadStream(file)) {
    for (const byte of chunk as Buffer) if (byte === 10) lines++;
  }
  return lines;
}

const token = program.command('token').description('Access tokens');
token
  .command('create')
  .description('Issue a token; it is printed once and stored only as a hash')
  .addOption(
    new Option('--role <role>', 'reader, journalist, editor, auditor or admin').makeOptionMandatory().argParser((value: string) => {
      if (!ROLES.includes(value as Role)) throw new InvalidArgumentError(`must be one of ${ROLES.join(', ')}`);
      return value as Role;
    }),
  )
  .requiredOption('--name <name>', 'who or what the token is for')
  .action(({ role, name }: { role: Role; name: string }) =>
    withApp(async (app) => {
      const issued = await app.get(TokenService).issue(name, role, CLI_META);
      console.log(`Token ${issued.id} (${role}, "${name}"):\n${issued.token}`);
    }),
  );

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
