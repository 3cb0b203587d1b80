import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { configureApp, createFastifyAdapter, NEST_APPLICATION_OPTIONS } from './app.setup';
import { AppLogger } from './shared/logging';
import { appConfig, type AppConfig } from './config/env';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(), createFastifyAdapter(), {
    ...NEST_APPLICATION_OPTIONS,
    bufferLogs: true,
    abortOnError: false,
  });
  configureApp(app);
  const config = app.get<AppConfig>(appConfig.KEY);
  await app.listen(config.PORT, config.HOST);
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
  app.get(AppLogger).log(`Ceasefire tracker listening on http://${host}:${config.PORT} (API docs at /docs)`, 'Bootstrap');
}

bootstrap().catch((error: unknown) => {
  console.error(`Ceasefire tracker could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
