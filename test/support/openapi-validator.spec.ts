import { describe, expect, it } from '@jest/globals';
import type { OpenAPIObject } from '@nestjs/swagger';
import { OpenApiValidator } from './openapi-validator';

/** A document that says GET /things/{id} answers {id, count} (count an integer ≥ 0), or 404 problem+json. */
const document = {
  openapi: '3.1.0',
  info: { title: 'test', version: '1' },
  paths: {
    '/things/{id}': {
      get: {
        responses: {
          '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
          '404': { $ref: '#/components/responses/NotFound' },
        },
      },
    },
  },
  components: {
    schemas: {
      Thing: {
        type: 'object',
        required: ['id', 'count'],
        properties: { id: { type: 'string', format: 'uuid' }, count: { type: 'integer', minimum: 0 }, at: { type: 'string', format: 'date-time' } },
      },
      Problem: { type: 'object', required: ['status'], properties: { status: { type: 'integer' } } },
    },
    responses: { NotFound: { description: 'no', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } } },
  },
} as unknown as OpenAPIObject;

const validator = new OpenApiValidator(document);
const answer = (status: number, body: unknown, contentType = 'application/json; charset=utf-8') =>
  validator.check({ method: 'GET', route: '/things/:id', status, contentType, body });
const id = '5f0c2b1e-8d3a-4b7e-9c1d-2e3f4a5b6c7d';

describe('the OpenAPI answer validator', () => {
  it('accepts an answer the document describes', () => {
    expect(answer(200, { id, count: 3, at: '2020-10-10T12:00+04:00' })).toEqual([]);
    expect(answer(404, { status: 404 }, 'application/problem+json')).toEqual([]);
  });

  it('fails a body that breaks the schema: a wrong type, a missing field, a field the document does not name', () => {
    expect(answer(200, { id, count: '3' })).toEqual([expect.stringMatching(/body\/count must be integer/)]);
    expect(answer(200, { id })).toEqual([expect.stringMatching(/must have required property 'count'/)]);
    expect(answer(200, { id, count: 1, colour: 'red' })).toEqual([expect.stringMatching(/must NOT have additional properties.*colour/)]);
    expect(answer(200, { id: 'not-a-uuid', count: 1 })).toEqual([expect.stringMatching(/body\/id must match format "uuid"/)]);
  });

  it('fails a status the operation does not document, and a content type it does not list', () => {
    expect(answer(409, { status: 409 }, 'application/problem+json')).toEqual([expect.stringMatching(/status not documented/)]);
    expect(answer(404, { status: 404 }, 'application/json')).toEqual([expect.stringMatching(/content type application\/json not documented/)]);
  });

  it('knows which operations the document has', () => {
    expect(validator.describes('GET', '/things/:id')).toBe(true);
    expect(validator.describes('POST', '/things/:id')).toBe(false);
  });
});
