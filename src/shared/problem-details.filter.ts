import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DatabaseUnavailableError, isDatabaseUnavailable, outageLog } from './database-unavailable';
import { DomainError, type DomainErrorKind } from './domain-error';
import { loggableError } from './log-safe';

const STATUS_BY_KIND: Record<DomainErrorKind, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  concurrency: 409,
  conflict: 409,
  rule: 422,
  idempotency_mismatch: 422,
  rate_limited: 429,
  too_large: 413,
  unavailable: 503,
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** An RFC 9457 problem details body. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  requestId?: string;
  code?: string;
  [extension: string]: unknown;
}

/**
 * The one place errors become responses: every error, expected or not, leaves as
 * `application/problem+json`. Unknown errors are logged with their stack and answered with a
 * generic 500, so no internals reach the client.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(thrown: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    // A database that is away is a 503 to retry, logged once per outage rather than per request.
    let exception = thrown;
    if (!(thrown instanceof DomainError) && isDatabaseUnavailable(thrown)) {
      outageLog.report(thrown, `${request.method} ${request.routeOptions?.url ?? request.url}`);
      exception = new DatabaseUnavailableError();
    }
    const problem = this.toProblem(exception);
    const requestId = String(request.id);
    problem.requestId = requestId;
    problem.instance = request.url;
    if (problem.status >= 500 && !(exception instanceof DomainError)) {
      this.logger.error(
        { err: loggableError(exception), requestId, method: request.method, url: request.url },
        exception instanceof Error ? exception.stack : String(exception),
      );
    }
    if ((problem.status === 503 || problem.status === 429) && typeof problem.retryAfter === 'number') {
      void reply.header('Retry-After', String(problem.retryAfter));
    }
    void reply.status(problem.status).header('Content-Type', 'application/problem+json; charset=utf-8').send(problem);
  }

  private toProblem(exception: unknown): ProblemDetails {
    if (exception instanceof DomainError) {
      const status = STATUS_BY_KIND[exception.kind];
      return {
        type: `urn:ceasefire:${exception.code}`,
        title: titleFor(status),
        status,
        detail: exception.message,
        code: exception.code,
        ...exception.extensions,
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const extensions = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
      const message = typeof body === 'string' ? body : extensions.message;
      const detail =
        status >= 500 ? 'The server could not complete the request.' : Array.isArray(message) ? message.join('; ') : String(message ?? exception.message);
      const { message: _m, statusCode: _s, error: _e, ...rest } = extensions;
      if (status === 400 && !Array.isArray(rest.errors)) {
        // Bodies Fastify could not parse: malformed JSON, or a forbidden key such as __proto__.
        const bodyDetail = /not valid JSON/i.test(detail) ? 'The body is not valid JSON, or holds a forbidden key such as __proto__' : detail;
        return { type: 'about:blank', title: titleFor(status), status, detail: bodyDetail, errors: [{ field: 'body', message: bodyDetail }] };
      }
      if (status === 415) {
        const mediaDetail = 'The body must be JSON, sent with Content-Type: application/json';
        return { type: 'urn:ceasefire:request.unsupported_media_type', title: titleFor(status), status, detail: mediaDetail, code: 'request.unsupported_media_type' };
      }
      return { type: 'about:blank', title: titleFor(status), status, detail, ...(status < 500 ? rest : {}) };
    }
    return {
      type: 'about:blank',
      title: titleFor(HttpStatus.INTERNAL_SERVER_ERROR),
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      detail: 'The server could not complete the request.',
    };
  }
}

function titleFor(status: number): string {
  return TITLES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
}
