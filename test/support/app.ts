import type { Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { AppModule } from '../../src/app.module';
import { configureApp, createFastifyAdapter, NEST_APPLICATION_OPTIONS } from '../../src/app.setup';
import { createOpenApiDocument } from '../../src/openapi/openapi-document';
import { APP_VERSION } from '../../src/version';
import { OpenApiValidator, validateAnswers } from './openapi-validator';

/** The routes do not depend on the environment: one document (and its compiled schemas) per test file. */
let validator: OpenApiValidator | undefined;

export interface TestApp {
  app: NestFastifyApplication;
  /** The HTTP server for supertest. */
  server: ReturnType<NestFastifyApplication['getHttpServer']>;
  /** Every route the app registered (method and Fastify path), HEAD routes aside. */
  routes: { method: string; url: string }[];
  close(): Promise<void>;
}

/** Boots the real application, as main.ts does, with `env` over the process environment. */
export async function startTestApp(given: Record<string, string | undefined>, extra: { controllers?: Type[] } = {}): Promise<TestApp> {
  // Suites send many requests, and many with wrong tokens, from one address: the limits are
  // raised unless a suite sets its own (test/e2e/hardening-*.e2e-spec.ts).
  const env = { LOG_LEVEL: 'silent', DEMO: 'false', RATE_LIMIT_MAX: '1000000', RATE_LIMIT_AUTH_FAILURES: '1000000', ...given };
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot(env)],
    controllers: extra.controllers ?? [],
  }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createFastifyAdapter(env), { ...NEST_APPLICATION_OPTIONS, logger: false });
  configureApp(app);
  validator ??= new OpenApiValidator(createOpenApiDocument(app, APP_VERSION));
  const fastify = app.getHttpAdapter().getInstance();
  validateAnswers(fastify, validator);
  const routes: TestApp['routes'] = [];
  fastify.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method, url: route.url });
  });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return { app, server: app.getHttpServer(), routes, close: () => app.close() };
}
