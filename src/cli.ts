import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { Presets, SingleBar } from 'cli-progress';
import { Command, InvalidArgumentError, Option } from 'commander';
import { AppModule } from './app.module';
import { ROLES, type Role } from './auth/roles';
import { TokenService } from './auth/token.service';
import { loadDemoScenario } from './demo/demo-scenario';
import { EventStore } from './event-store/event-store.service';
import { ProjectionRunner } from './projections/projection-runner.service';
import type { CommandMeta } from './shared/command';

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
  const app = await NestFactory.createApplicationContext(AppModule.forRoot({ DEMO: 'false' }, { projections: false }), {
    logger: ['error', 'warn'],
    abortOnError: false,
  });
  try {
    return await work(app);
  } finally {
    await app.close();
  }
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
        const bar = new SingleBar({ format: `${projection.padEnd(8)} {bar} {percentage}% | {value}/{total} events | {eta_formatted} left` }, Presets.shades_classic);
        bar.start(1, 0);
        const status = await runner.rebuild(projection, ({ position, head }) => {
          bar.setTotal(Math.max(head, 1));
          bar.update(position);
        });
        bar.stop();
        console.log(`${projection}: rebuilt up to position ${status.checkpoint}; ${status.readModels.map((m) => `${m.name} ${m.digest}`).join(', ')}`);
      }
    }),
  );

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
