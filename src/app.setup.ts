import { BadRequestException, type INestApplication, ValidationPipe } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import type { ValidationError as ClassValidatorError } from 'class-validator';
import { errorCodes, type FastifyInstance } from 'fastify';
import { IMPORT_MEDIA_TYPES, IMPORT_ROUTE } from './imports/import-media-types';
import { hardeningConfig, type HardeningConfig } from './hardening/hardening.config';
import { hardenHttp, serverOptions } from './hardening/http-hardening';
import { createOpenApiDocument } from './openapi/openapi-document';
import { BODY_LIMIT_BYTES } from './shared/limits';
import { AppLogger, logRequests, requestIdFor } from './shared/logging';
import { ProblemDetailsFilter } from './shared/problem-details.filter';
import { RequestShapePipe } from './shared/request-shape.pipe';
import { APP_VERSION } from './version';

/**
 * Options for NestFactory.create / createNestApplication. Nest's own body parsers are off: they
 * would also accept form-encoded bodies, which then fail as a list of unknown fields instead of
 * a 415. Fastify's JSON parser is the only one (createFastifyAdapter).
 */
export const NEST_APPLICATION_OPTIONS = { bodyParser: false } as const;

/** `env` over the process environment, as AppModule.forRoot takes it (timeouts, TRUST_PROXY). */
export function createFastifyAdapter(env: Record<string, string | undefined> = {}): FastifyAdapter {
  const adapter = new FastifyAdapter({ ...serverOptions(env), bodyLimit: BODY_LIMIT_BYTES, genReqId: requestIdFor });
  // Bodies are JSON or nothing: any other media type is a 415.
  adapter.getInstance().removeContentTypeParser('text/plain');
  // Except an import's file: its route reads the body as a stream (no body limit of its own here;
  // the import counts the bytes). Anywhere else these types are a 415, as any non-JSON body.
  adapter.getInstance().addContentTypeParser(Object.keys(IMPORT_MEDIA_TYPES), (request, payload, done) => {
    if (request.routeOptions.url === IMPORT_ROUTE && request.method === 'POST') return done(null, payload);
    done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(request.headers['content-type']), undefined);
  });
  adapter.getInstance().addHook('onRequest', (request, reply, done) => {
    void reply.header('X-Request-Id', request.id);
    done();
  });
  return adapter;
}

/** Everything the app needs beyond its modules; shared by main.ts and the end-to-end tests. */
export function configureApp(app: INestApplication): INestApplication {
  const logger = app.get(AppLogger);
  app.useLogger(logger);
  logRequests(app.getHttpAdapter().getInstance() as FastifyInstance, logger.pino);
  app.useGlobalFilters(new ProblemDetailsFilter());
  hardenHttp(app);
  app.useGlobalPipes(
    new RequestShapePipe(),
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) =>
        new BadRequestException({ message: 'The request has invalid fields', errors: flattenValidationErrors(errors) }),
    }),
  );
  app.enableShutdownHooks();
  if (app.get<HardeningConfig>(hardeningConfig.KEY).DOCS_PUBLIC) SwaggerModule.setup('docs', app, createOpenApiDocument(app, APP_VERSION));
  return app;
}

/**
 * Checks of what a value is. Where one fails beside a range check, its message is the one that
 * says what is wrong: "3" for a credibility must be an integer, not "at most 6".
 */
const TYPE_CHECKS = new Set([
  'isDefined',
  'isString',
  'isInt',
  'isNumber',
  'isBoolean',
  'isArray',
  'isObject',
  'isIn',
  'isEnum',
  'isUuid',
  'isInstant',
  'isInstantOrDate',
  'isIanaTimeZone',
  'isLocalDate',
  'isAsOf',
  'isUrl',
  'isLatitude',
  'isLongitude',
]);

/** class-validator's tree → `[{field: 'attributions[0].reliability', message}]`, one message per field. */
export function flattenValidationErrors(errors: ClassValidatorError[], parent = ''): { field: string; message: string }[] {
  return errors.flatMap((error) => {
    const field = /^\d+$/.test(error.property)
      ? `${parent}[${error.property}]`
      : parent
        ? `${parent}.${error.property}`
        : error.property;
    const own = error.constraints ? [{ field, message: messageOf(error, error.constraints) }] : [];
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

function messageOf(error: ClassValidatorError, constraints: Record<string, string>): string {
  // Optional fields are not checked when absent, so an absent value that failed was required.
  if (error.value === undefined && !('whitelistValidation' in constraints)) return `${error.property} is required`;
  const names = Object.keys(constraints);
  return constraints[names.find((name) => TYPE_CHECKS.has(name)) ?? names[0]!]!;
}
