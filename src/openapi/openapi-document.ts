import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { BODY_LIMIT_BYTES } from '../shared/limits';
import { ProblemResponse } from './problem.response';

type Operation = NonNullable<OpenAPIObject['paths'][string]['get']>;
type Schema = Record<string, unknown>;

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

const DESCRIPTION = `Claims and counterclaims about ceasefire violations, recorded as immutable, sourced events.

Every claim has the form *claimant says subject violated / complied*, with when it allegedly happened (\`occurred\`), when it was said (\`statedAt\`), where, casualties as claimed and every source with its Admiralty grades. Nothing is edited in place: corrections, retractions and assessments are new events in a hash-chained log.

**Two clocks.** *Occurred* is when something allegedly happened, in the conflict's time zone; dashboards count by it (or by when it was stated). *Recorded at* is when the tracker learned of it; audit reads "as of" a recorded time or a log position.

**Writes** answer \`201 {id, streamVersion, position}\` when they appended, or \`200\` with the same body when nothing needed to change or the request replayed an \`Idempotency-Key\`. Pass \`streamVersion\` back as \`expectedVersion\` (or \`If-Match\`) with the next change: a stale one gets \`409\` with \`currentVersion\`. Pass \`position\` as \`minPosition\` to a read to see your own write.

**Errors** are \`application/problem+json\` (RFC 9457): \`type\`, \`title\`, \`status\`, \`detail\`, \`instance\`, \`requestId\`, a stable \`code\`, and for invalid fields \`errors: [{field, message}]\`. In every error case nothing is recorded. On \`503\`, wait \`Retry-After\` seconds and retry (a keyed write is safe to retry).

**Tokens** are opaque bearer tokens (\`cft_\` and 43 characters), issued by admins. Reads of conflicts, claims and dashboards are public while the server runs with \`PUBLIC_READS=true\` (the default); every write needs a token of the role each operation names.`;

const TAGS: { name: string; description: string }[] = [
  { name: 'conflicts', description: 'Conflicts, their parties and their time zones (editors register them)' },
  { name: 'agreements', description: 'Ceasefires and truces: signatories, when they took effect, corrections, their end (editors)' },
  { name: 'places', description: "Each conflict's gazetteer: places with every name each side uses, coordinates, search in any spelling (editors register them)" },
  { name: 'claims', description: 'Claims and counterclaims, their sources, corrections, casualty revisions, retractions and assessments' },
  { name: 'drafts', description: 'Wire copy read into drafts of claims and agreements for the desk to review (journalists); nothing is stored' },
  { name: 'incidents', description: 'Incidents: one happening with every account of it side by side, and suggestions of what may already be recorded' },
  { name: 'dashboards', description: "Read models: each party's allegations over time, agreement scorecards, claim lists, the source ledger, the live feed" },
  { name: 'imports', description: 'Claims in bulk: a CSV template or JSON Lines, checked row by row before anything is recorded' },
  { name: 'exports', description: 'The record for researchers and other tools: ACLED-style CSV, GeoJSON, schema.org ClaimReview' },
  { name: 'audit', description: 'The log itself: history, the record as of a time, verification of the hash chain, export, signed checkpoints (auditors)' },
  { name: 'access', description: 'Who the bearer token is: the web app signs in with it' },
  { name: 'admin', description: 'Access tokens and projections (admins)' },
  { name: 'operations', description: 'Health and metrics, for operators and their tools' },
];

/** Path parameters that hold ids (UUIDs); an id that is not one answers 404 like an unknown one. */
const UUID_PARAMETERS = new Set(['conflictId', 'agreementId', 'claimId', 'attributionId', 'tokenId', 'placeId', 'incidentId']);

interface ProblemAnswer {
  name: string;
  description: string;
  retryAfter?: boolean;
}

/** The error answers, each a shared response with the Problem body; route-specific reasons are in each operation's description. */
export const PROBLEM_ANSWERS: Record<number, ProblemAnswer> = {
  400: { name: 'BadRequest', description: 'The request is malformed or a field is invalid: `errors` names each field. Nothing was recorded.' },
  401: { name: 'Unauthorized', description: 'No token where one is needed, or an unknown, revoked or malformed token.' },
  403: { name: 'Forbidden', description: "The token's role may not do this (checked before the id is looked up)." },
  404: { name: 'NotFound', description: 'No such conflict, agreement, claim, source, token or stream (`code` says which).' },
  409: {
    name: 'Conflict',
    description: 'A stale `expectedVersion` / `If-Match` (`currentVersion` says where the stream is now), or a state that forbids it now (`code`). Nothing was recorded.',
  },
  413: { name: 'ContentTooLarge', description: `The body is over ${BODY_LIMIT_BYTES / 1024} KiB (or a report to draft from is over its documented length).` },
  415: { name: 'UnsupportedMediaType', description: 'The body is not JSON: send it with `Content-Type: application/json`.' },
  422: {
    name: 'UnprocessableContent',
    description: 'A rule of the record refused it (`code`, e.g. `claim.self_accusation`), or an `Idempotency-Key` was reused with another request. Nothing was recorded.',
  },
  429: { name: 'TooManyRequests', description: 'Too many requests: wait `Retry-After` seconds.', retryAfter: true },
  503: {
    name: 'ServiceUnavailable',
    description:
      'The database is unavailable (`database.unavailable`), or the read models have not reached `minPosition` yet (`projection.behind`): wait `Retry-After` seconds and retry.',
    retryAfter: true,
  },
};

/** The document served at /docs-json: the whole truth of the API, as the routes' decorators and the rules below state it. */
export function createOpenApiDocument(app: INestApplication, version: string): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Ceasefire tracker')
    .setDescription(DESCRIPTION)
    .setVersion(version)
    .setLicense('MIT', 'https://opensource.org/license/mit')
    .addServer('/', 'This server')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'opaque (cft_…)',
        description: 'An opaque access token (`cft_` and 43 characters) issued by an admin (`POST /api/admin/tokens` or `npm run cli -- token create`); not a JWT. Revocation takes effect at once.',
      },
      'bearer',
    );
  for (const tag of TAGS) builder.addTag(tag.name, tag.description);
  const document = SwaggerModule.createDocument(app, builder.build(), { extraModels: [ProblemResponse] });
  return completeDocument(document);
}

/**
 * What holds for every operation and is therefore added here, not on each route: the answers
 * any body or query can get (400, 413, 415), rate limits (429), that the database may be away (503), error answers
 * as shared problem+json responses, public operations marked public, ids as UUIDs, the roles an
 * operation needs in its description, and request bodies closed to unknown fields (the
 * validation pipe refuses them).
 */
export function completeDocument(document: OpenAPIObject): OpenAPIObject {
  const used = new Set<number>();
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const statuses = new Set(Object.keys(operation.responses).map(Number).filter((status) => status >= 400));
      const parameters = (operation.parameters ?? []).filter((p): p is Exclude<typeof p, { $ref: string }> => !('$ref' in p));
      if (operation.requestBody) [400, 413, 415].forEach((status) => statuses.add(status));
      if (parameters.some((p) => p.in === 'query' || p.in === 'header')) statuses.add(400);
      // Every route is rate-limited (src/hardening/http-hardening.ts), and the database may be away.
      statuses.add(429);
      statuses.add(503);
      for (const status of statuses) {
        const answer = PROBLEM_ANSWERS[status];
        if (!answer) throw new Error(`No problem answer for status ${status} (${operation.operationId})`);
        operation.responses[status] = { $ref: `#/components/responses/${answer.name}` };
        used.add(status);
      }
      for (const parameter of parameters) {
        if (parameter.in === 'path' && UUID_PARAMETERS.has(parameter.name)) parameter.schema = { type: 'string', format: 'uuid' };
      }
      describeAccess(operation);
    }
  }
  document.components ??= {};
  document.components.responses = Object.fromEntries(
    [...used].sort().map((status) => {
      const answer = PROBLEM_ANSWERS[status]!;
      return [
        answer.name,
        {
          description: answer.description,
          ...(answer.retryAfter ? { headers: { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer', minimum: 0 } } } } : {}),
          content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemResponse' } } },
        },
      ];
    }),
  );
  closeRequestSchemas(document);
  forEachSchema(document, toJsonSchema2020);
  // In name order: the order Nest meets them in depends on how the app was assembled.
  document.components.schemas = Object.fromEntries(Object.entries(document.components.schemas ?? {}).sort(([a], [b]) => a.localeCompare(b)));
  return document;
}

/**
 * @nestjs/swagger writes OpenAPI 3.0 idioms; the document is 3.1 (JSON Schema 2020-12), where a
 * nullable value is a type that includes null, and a $ref may carry a description beside it.
 */
function toJsonSchema2020(s: Schema): void {
  const allOf = s.allOf as Schema[] | undefined;
  if (allOf?.length === 1 && typeof allOf[0]!.$ref === 'string') {
    // Nest wraps a named enum in allOf to keep the property's description beside the $ref.
    s.$ref = allOf[0]!.$ref;
    delete s.allOf;
  }
  if (s.nullable !== true) return;
  delete s.nullable;
  if (typeof s.$ref === 'string') {
    s.oneOf = [{ $ref: s.$ref }, { type: 'null' }];
    delete s.$ref;
  } else if (typeof s.type === 'string') {
    s.type = [s.type, 'null'];
    if (Array.isArray(s.enum)) s.enum = [...s.enum, null];
  }
}

/** Calls `visit` on every schema object of the document, nested ones included, once each. */
function forEachSchema(document: OpenAPIObject, visit: (schema: Schema) => void): void {
  const seen = new Set<unknown>();
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) return node.forEach(walk);
    const s = node as Schema;
    for (const key of ['items', 'allOf', 'anyOf', 'oneOf', 'additionalProperties']) walk(s[key]);
    for (const child of Object.values((s.properties ?? {}) as Record<string, unknown>)) walk(child);
    visit(s);
  };
  Object.values(document.components?.schemas ?? {}).forEach(walk);
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      for (const parameter of operation.parameters ?? []) if ('schema' in parameter) walk(parameter.schema);
      for (const response of Object.values(operation.responses)) {
        if (response && 'content' in response && response.content) Object.values(response.content).forEach((media) => walk(media.schema));
      }
      const body = operation.requestBody;
      if (body && 'content' in body) Object.values(body.content).forEach((media) => walk(media.schema));
    }
  }
}

function describeAccess(operation: Operation): void {
  const extensions = operation as Operation & { 'x-roles'?: string[]; 'x-access'?: string };
  const roles = extensions['x-roles'];
  let access: string;
  if (roles) {
    access = `Needs a token of role ${roles.slice(0, -1).join(', ')} or ${roles.at(-1)}.`;
  } else if (extensions['x-access'] === 'metrics') {
    access = 'Needs an admin token, unless the server runs with METRICS_PUBLIC=true.';
  } else if (extensions['x-access'] === 'read') {
    access = 'Public while the server runs with PUBLIC_READS=true (the default); otherwise needs a token of any role.';
  } else {
    access = 'Public.';
    // An empty list: no authentication at all (rather than "the document's default").
    operation.security = [];
  }
  operation.description = [operation.description, access].filter(Boolean).join('\n\n');
}

/** additionalProperties: false on every schema a request body reaches. */
function closeRequestSchemas(document: OpenAPIObject): void {
  const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
  const seen = new Set<Schema>();
  const close = (schema: unknown): void => {
    if (schema === null || typeof schema !== 'object' || seen.has(schema as Schema)) return;
    const s = schema as Schema;
    seen.add(s);
    if (typeof s.$ref === 'string') return close(schemas[s.$ref.replace('#/components/schemas/', '')]);
    if (s.type === 'object' || s.properties) s.additionalProperties ??= false;
    for (const key of ['items', 'allOf', 'anyOf', 'oneOf'] as const) {
      const nested = s[key];
      (Array.isArray(nested) ? nested : [nested]).forEach(close);
    }
    Object.values((s.properties ?? {}) as Record<string, unknown>).forEach(close);
  };
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const body = item[method]?.requestBody;
      if (body && 'content' in body) Object.values(body.content).forEach((media) => close(media.schema));
    }
  }
}
