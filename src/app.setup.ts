import { BadRequestException, type INestApplication, ValidationPipe } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { ValidationError as ClassValidatorError } from 'class-validator';
import type { FastifyInstance } from 'fastify';
import { AppLogger, logRequests, requestIdFor } from './shared/logging';
import { ProblemDetailsFilter } from './shared/problem-details.filter';
import { RequestShapePipe } from './shared/request-shape.pipe';

/** Request bodies above this are refused with 413 (DESIGN: 256 KiB). */
export const BODY_LIMIT_BYTES = 256 * 1024;

export function createFastifyAdapter(): FastifyAdapter {
  const adapter = new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES, genReqId: requestIdFor });
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
  app.useGlobalPipes(
    new RequestShapePipe(),
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      stopAtFirstError: true,
      exceptionFactory: (errors) =>
        new BadRequestException({ message: 'The request has invalid fields', errors: flattenValidationErrors(errors) }),
    }),
  );
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Ceasefire tracker')
      .setDescription('Claims and counterclaims about ceasefire violations, recorded as immutable, sourced events.')
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document);
  return app;
}

/** class-validator's tree → `[{field: 'attributions[0].reliability', message}]`. */
export function flattenValidationErrors(errors: ClassValidatorError[], parent = ''): { field: string; message: string }[] {
  return errors.flatMap((error) => {
    const field = /^\d+$/.test(error.property)
      ? `${parent}[${error.property}]`
      : parent
        ? `${parent}.${error.property}`
        : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}
