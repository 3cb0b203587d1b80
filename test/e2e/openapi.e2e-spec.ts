import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { clientTypes } from '../../scripts/client-types.mjs';
import { PROBLEM_ANSWERS } from '../../src/openapi/openapi-document';
import { startTestApp, type TestApp } from '../support/app';
import { openApiPath } from '../support/openapi-validator';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

let app: TestApp;
let document: Json;
const operations: { method: string; path: string; operation: Json }[] = [];

beforeAll(async () => {
  app = await startTestApp({ DATABASE_URL: undefined, DATA_DIR: 'memory://' });
  document = (await request(app.server).get('/docs-json').expect(200)).body;
  for (const [path, item] of Object.entries(document.paths as Json)) {
    for (const method of METHODS) if (item[method]) operations.push({ method, path, operation: item[method] });
  }
});
afterAll(() => app.close());

describe('the OpenAPI document at /docs-json', () => {
  it("passes Redocly's recommended rules with no error and no warning", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openapi-'));
    try {
      const file = join(dir, 'openapi.json');
      writeFileSync(file, JSON.stringify(document));
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['node_modules/@redocly/cli/bin/cli.js', 'lint', file, '--config', 'redocly.yaml', '--format', 'json'],
        { env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' }, maxBuffer: 16 * 1024 * 1024 },
      ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
      const report = JSON.parse(stdout.slice(stdout.indexOf('{')));
      const problems = report.problems.map((p: Json) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location?.[0]?.pointer}`);
      expect(problems).toEqual([]);
      expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('describes every route the app serves under /api, /health and /metrics, and no other', () => {
    const served = app.routes
      .filter((r) => /^\/(api|health|metrics)(\/|$)/.test(r.url))
      .map((r) => `${r.method.toLowerCase()} ${openApiPath(r.url)}`)
      .sort();
    expect(operations.map((o) => `${o.method} ${o.path}`).sort()).toEqual(served);
    expect(served.length).toBeGreaterThanOrEqual(35);
  });

  it('names every operation in camelCase, once, with a summary and a described tag', () => {
    const ids = operations.map((o) => o.operation.operationId);
    expect(ids.filter((id) => !/^[a-z][A-Za-z]+$/.test(id))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['recordClaim', 'listClaims', 'getClaim', 'getTimeline', 'getScorecard', 'verifyLog', 'exportLog', 'issueToken']));
    const tags = new Map((document.tags as Json[]).map((t) => [t.name, t.description]));
    for (const { operation } of operations) {
      expect(operation.summary).toEqual(expect.any(String));
      expect(operation.tags).toHaveLength(1);
      expect(tags.get(operation.tags[0])).toEqual(expect.any(String));
    }
  });

  it('gives every operation a typed 2xx answer and problem+json errors with the shared Problem schema', () => {
    for (const { method, path, operation } of operations) {
      const statuses = Object.keys(operation.responses);
      const success = statuses.filter((s) => s.startsWith('2'));
      expect({ op: `${method} ${path}`, success: success.length > 0 }).toEqual({ op: `${method} ${path}`, success: true });
      for (const status of success) {
        const content = operation.responses[status].content as Json;
        const [mediaType, media] = Object.entries(content)[0]!;
        if (mediaType === 'application/json') expect(media.schema.$ref ?? media.schema.oneOf).toBeDefined();
        else expect(['application/x-ndjson', 'text/event-stream', 'text/plain', 'text/csv', 'application/geo+json', 'application/ld+json']).toContain(mediaType);
      }
      for (const status of statuses.filter((s) => Number(s) >= 400)) {
        expect(operation.responses[status]).toEqual({ $ref: `#/components/responses/${PROBLEM_ANSWERS[Number(status)]!.name}` });
      }
      expect(statuses).toContain('503');
    }
    for (const response of Object.values(document.components.responses as Json)) {
      expect(response.content).toEqual({ 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemResponse' } } });
    }
    expect(document.components.responses.ServiceUnavailable.headers).toHaveProperty('Retry-After');
  });

  it('marks reads public, writes and audit as needing their roles, and the bearer token as opaque', () => {
    const op = (method: string, path: string) => document.paths[path][method];
    expect(op('get', '/api/claims').security).toEqual(expect.arrayContaining([{}, { bearer: [] }]));
    expect(op('post', '/api/claims').security).toEqual([{ bearer: [] }]);
    expect(op('post', '/api/claims')['x-roles']).toEqual(['journalist', 'editor', 'admin']);
    expect(op('get', '/api/audit/verify')['x-roles']).toEqual(['auditor', 'admin']);
    expect(op('get', '/health').security).toEqual([]);
    expect(op('get', '/api/conflicts/{conflictId}/timeline').description).toMatch(/asOf.*auditors/);
    expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.components.securitySchemes.bearer.description).toMatch(/opaque.*not a JWT/);
    expect(document.servers).toEqual([expect.objectContaining({ url: '/' })]);
    expect(document.info.license.name).toBe('MIT');
  });

  it('states the exact schemas: integers with bounds, instants with their pattern, closed request bodies, minPosition where honoured', () => {
    const schemas = document.components.schemas;
    expect(schemas.AttributionRequest.properties.credibility).toMatchObject({ type: 'integer', minimum: 1, maximum: 6 });
    expect(schemas.AttributionRequest.properties.publishedAt).toMatchObject({ type: 'string', format: 'date-time', pattern: expect.any(String) });
    expect(schemas.RecordClaimRequest.additionalProperties).toBe(false);
    expect(schemas.AttributionRequest.additionalProperties).toBe(false);
    expect(schemas.RecordClaimRequest.required).toEqual(
      expect.arrayContaining(['conflictId', 'claimant', 'subject', 'assertion', 'category', 'occurred', 'statedAt', 'summary', 'attributions']),
    );
    expect(schemas.Assertion).toMatchObject({ type: 'string', enum: ['violated', 'complied'] });
    expect(schemas.RecordClaimRequest.properties.assertion).toMatchObject({ $ref: '#/components/schemas/Assertion' });
    expect(schemas.ScorecardRowResponse.properties.violationsAlleged).toMatchObject({ type: 'integer', minimum: 0 });
    for (const path of ['/api/claims', '/api/claims/{claimId}', '/api/conflicts/{conflictId}/timeline', '/api/agreements/{agreementId}/scorecard', '/api/sources']) {
      const minPosition = document.paths[path].get.parameters.find((p: Json) => p.name === 'minPosition');
      expect({ path, schema: minPosition?.schema }).toEqual({ path, schema: { type: 'integer', minimum: 0 } });
    }
    const timeline = document.paths['/api/conflicts/{conflictId}/timeline'].get.parameters;
    expect(timeline.find((p: Json) => p.name === 'from').schema).toMatchObject({ type: 'string', format: 'date' });
    expect(document.paths['/api/audit/export'].get.responses['200'].content).toHaveProperty(['application/x-ndjson']);
    expect(document.paths['/api/live'].get.responses['200'].content).toHaveProperty(['text/event-stream']);
    expect(document.paths['/metrics'].get.responses['200'].content).toHaveProperty(['text/plain']);
  });

  it('generates exactly the client types committed in web/src/api/schema.d.ts (run `npm run api:types` after changing the API)', async () => {
    const committed = readFileSync('web/src/api/schema.d.ts', 'utf8');
    expect(await clientTypes(document)).toBe(committed);
  });

  it('gives a generated client a concrete type for every answer of every operation', () => {
    const types = readFileSync('web/src/api/schema.d.ts', 'utf8');
    expect(types).toContain('"application/json": components["schemas"]["ClaimResponse"]');
    expect(types).toContain('"application/problem+json": components["schemas"]["ProblemResponse"]');
    // A response without a described body would be `content?: never`.
    expect(types).not.toMatch(/\d{3}: \{\s+headers: \{[^}]*\};\s+content\?: never;/);
  });
});
