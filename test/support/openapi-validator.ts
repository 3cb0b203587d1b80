import type { OpenAPIObject } from '@nestjs/swagger';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import { isInstant } from '../../src/shared/text';

// ajv-formats is CommonJS with `module.exports = formatsPlugin` and a `.default` beside it.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => void;

/** One answer the app gave, as the document would have to describe it. */
export interface Answer {
  method: string;
  /** The route as Fastify knows it: /api/claims/:claimId */
  route: string;
  status: number;
  contentType: string | undefined;
  /** The parsed JSON body, or undefined for streams and non-JSON bodies. */
  body: unknown;
}

type Json = Record<string, unknown>;

/**
 * Checks answers against the OpenAPI document: the status is documented for the operation, the
 * content type is one it lists, and a JSON body validates against its schema. Objects are checked
 * closed (no member the document does not name), so the document must describe every field.
 */
export class OpenApiValidator {
  private readonly ajv: Ajv2020;
  private readonly document: Json;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(document: OpenAPIObject) {
    this.document = closeObjects(structuredClone(document) as unknown as Json);
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
    addFormats(this.ajv);
    // The server's own grammar of instants (seconds optional), as the document's pattern says.
    this.ajv.addFormat('date-time', { type: 'string', validate: isInstant });
    this.ajv.addSchema(this.document, 'openapi.json');
  }

  /** Whether the document has this operation at all (pages, /docs and test-only routes do not). */
  describes(method: string, route: string): boolean {
    return this.operation(method, route) !== undefined;
  }

  /** What is wrong with the answer, or an empty list. */
  check(answer: Answer): string[] {
    const path = openApiPath(answer.route);
    const method = answer.method.toLowerCase();
    const operation = this.operation(method, answer.route);
    const where = `${answer.method} ${path} → ${answer.status}`;
    if (!operation) return [`${where}: no such operation in the document`];
    const responses = operation.responses as Json;
    const key = String(answer.status);
    if (!(key in responses)) return [`${where}: status not documented (documented: ${Object.keys(responses).join(', ')})`];
    const pointer = (responses[key] as Json).$ref
      ? `#/components/responses/${String((responses[key] as Json).$ref).split('/').pop()}`
      : `#/paths/${escape(path)}/${method}/responses/${key}`;
    const response = resolve(this.document, pointer);
    const content = (response.content ?? {}) as Json;
    const types = Object.keys(content);
    if (types.length === 0) return answer.body === undefined || answer.body === '' ? [] : [`${where}: a body where the document says none`];
    const mediaType = (answer.contentType ?? '').split(';')[0]!.trim();
    if (!types.includes(mediaType)) return [`${where}: content type ${mediaType || '(none)'} not documented (documented: ${types.join(', ')})`];
    if (answer.body === undefined) return [];
    const validate = this.validator(`${pointer}/content/${escape(mediaType)}/schema`);
    if (validate(answer.body)) return [];
    return (validate.errors ?? []).map((e) => `${where}: body${e.instancePath} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
  }

  private operation(method: string, route: string): Json | undefined {
    const item = (this.document.paths as Json)[openApiPath(route)] as Json | undefined;
    return item?.[method.toLowerCase()] as Json | undefined;
  }

  private validator(pointer: string): ValidateFunction {
    let validate = this.compiled.get(pointer);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `openapi.json${pointer}` });
      this.compiled.set(pointer, validate);
    }
    return validate;
  }
}

/** /api/claims/:claimId → /api/claims/{claimId} */
export function openApiPath(route: string): string {
  return route.replace(/:(\w+)/g, '{$1}');
}

/** A JSON pointer segment. */
function escape(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function resolve(document: Json, pointer: string): Json {
  return pointer
    .slice(2)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<Json>((node, part) => node[part] as Json, document);
}

/** additionalProperties: false on every object schema that does not say otherwise. */
function closeObjects(document: Json): Json {
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    const s = node as Json;
    if (s.properties && s.additionalProperties === undefined) s.additionalProperties = false;
    Object.values(s).forEach(walk);
  };
  walk(document.components);
  walk(document.paths);
  return document;
}

/** Answers that did not match the document, collected for the test that made them (see openapi-expectations.ts). */
export const mismatches: string[] = [];

/**
 * Checks every answer the app sends against the document, from inside the server (so every
 * client of the app in a test is covered). A mismatch never changes the answer: it is collected,
 * and the running test fails after it ends.
 */
export function validateAnswers(fastify: FastifyInstance, validator: OpenApiValidator): void {
  fastify.addHook('onSend', (request, reply, payload, done) => {
    const route = request.routeOptions.url;
    if (route !== undefined && validator.describes(request.method, route)) {
      const contentType = reply.getHeader('content-type');
      let body: unknown;
      if (typeof payload === 'string' || Buffer.isBuffer(payload)) {
        const text = payload.toString();
        try {
          body = text === '' ? undefined : /json/.test(String(contentType)) ? JSON.parse(text) : undefined;
        } catch {
          body = text;
        }
      }
      mismatches.push(
        ...validator.check({
          method: request.method,
          route,
          status: reply.statusCode,
          contentType: contentType === undefined ? undefined : String(contentType),
          body,
        }),
      );
    }
    done(null, payload);
  });
}
