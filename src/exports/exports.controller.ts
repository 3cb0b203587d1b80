import { Readable } from 'node:stream';
import { Controller, Get, Param, Query, Req, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags, type SchemaObject } from '@nestjs/swagger';
import { stringify } from 'csv-stringify';
import type { FastifyRequest } from 'fastify';
import { ReadAccess } from '../auth/access.decorator';
import { ClaimQueries } from '../claims/claim-queries.service';
import { ConflictDirectory } from '../conflicts/conflict-directory.service';
import { ApiProblems } from '../openapi/api-answers';
import { ProjectionRunner } from '../projections/projection-runner.service';
import { ClaimListQuery } from '../read-models/dashboard.requests';
import { NotFoundError } from '../shared/domain-error';
import { EXPORT_COLUMNS, exportFeature } from './claim-export-row';
import { claimReview } from './claim-review';
import { ClaimsExport } from './claims-export.service';

const FILTERS = 'The claims list\'s filters (conflictId, claimant, subject, assertion, status, agreementId, provisionId, from, to); counted claims only (no voided claims, no duplicates); confidential sources appear only as "confidential source".';

/** The schema.org ClaimReview shape the tests check the answer against. */
const CLAIM_REVIEW_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['@context', '@type', 'url', 'claimReviewed', 'datePublished', 'author', 'itemReviewed', 'reviewRating'],
  properties: {
    '@context': { type: 'string', enum: ['https://schema.org'] },
    '@type': { type: 'string', enum: ['ClaimReview'] },
    url: { type: 'string', format: 'uri' },
    claimReviewed: { type: 'string' },
    datePublished: { type: 'string', format: 'date' },
    reviewBody: { type: 'string' },
    author: { type: 'object', properties: { '@type': { type: 'string', enum: ['Organization'] }, name: { type: 'string' } }, required: ['@type', 'name'] },
    itemReviewed: {
      type: 'object',
      required: ['@type', 'author', 'datePublished', 'appearance'],
      properties: {
        '@type': { type: 'string', enum: ['Claim'] },
        datePublished: { type: 'string', format: 'date' },
        author: { type: 'object', properties: { '@type': { type: 'string', enum: ['Organization'] }, name: { type: 'string' } }, required: ['@type', 'name'] },
        appearance: {
          type: 'array',
          items: { type: 'object', properties: { '@type': { type: 'string', enum: ['CreativeWork'] }, url: { type: 'string', format: 'uri' } }, required: ['@type', 'url'] },
        },
      },
    },
    reviewRating: {
      type: 'object',
      required: ['@type', 'alternateName'],
      properties: {
        '@type': { type: 'string', enum: ['Rating'] },
        ratingValue: { type: 'integer', minimum: 1, maximum: 5 },
        bestRating: { type: 'integer', enum: [5] },
        worstRating: { type: 'integer', enum: [1] },
        alternateName: { type: 'string', enum: ['Corroborated', 'Contested', 'Refuted', 'Unverifiable'] },
      },
    },
  },
};

/**
 * Reads the first row before the answer starts, so that a query the first page refuses (a forged
 * cursor, say) is answered 400 as on the claims list, not with a stream cut after its 200.
 */
async function started<T>(rows: AsyncGenerator<T>): Promise<AsyncGenerator<T>> {
  const first = await rows.next();
  return (async function* () {
    if (first.done) return;
    yield first.value;
    yield* rows;
  })();
}

@ApiTags('exports')
@Controller('api')
export class ExportsController {
  constructor(
    private readonly exports: ClaimsExport,
    private readonly claims: ClaimQueries,
    private readonly directory: ConflictDirectory,
    private readonly projections: ProjectionRunner,
  ) {}

  @Get('exports/claims.csv')
  @ReadAccess()
  @ApiOperation({ operationId: 'exportClaimsCsv', summary: 'Claims as an ACLED-style CSV table, streamed', description: `${FILTERS} Columns: docs/claims-export.md.` })
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description: 'A header row, then one row per counted claim, newest alleged first',
    content: { 'text/csv': { schema: { type: 'string' } } },
    headers: { 'Content-Disposition': { description: 'attachment; filename="claims.csv"', schema: { type: 'string' } } },
  })
  @ApiProblems()
  async csv(@Query() query: ClaimListQuery): Promise<StreamableFile> {
    await this.projections.ensureProjected(query.minPosition);
    const csv = Readable.from(await started(this.exports.rows(query))).pipe(
      stringify({ header: true, columns: [...EXPORT_COLUMNS], cast: { boolean: (value) => (value ? 'true' : 'false') } }),
    );
    return new StreamableFile(csv, { type: 'text/csv; charset=utf-8', disposition: 'attachment; filename="claims.csv"' });
  }

  @Get('exports/claims.geojson')
  @ReadAccess()
  @ApiOperation({ operationId: 'exportClaimsGeoJson', summary: 'Claims with coordinates as a GeoJSON FeatureCollection, streamed', description: `${FILTERS} Each feature's properties are the CSV's columns.` })
  @ApiProduces('application/geo+json')
  @ApiOkResponse({
    description: 'A FeatureCollection of Point features (RFC 7946)',
    content: { 'application/geo+json': { schema: { type: 'object', required: ['type', 'features'], properties: { type: { type: 'string', enum: ['FeatureCollection'] }, features: { type: 'array', items: { type: 'object' } } } } } },
  })
  @ApiProblems()
  async geojson(@Query() query: ClaimListQuery): Promise<StreamableFile> {
    await this.projections.ensureProjected(query.minPosition);
    const rows = await started(this.exports.rows(query));
    async function* collection() {
      yield '{"type":"FeatureCollection","features":[';
      let first = true;
      for await (const row of rows) {
        const feature = exportFeature(row);
        if (!feature) continue;
        yield `${first ? '' : ','}\n${JSON.stringify(feature)}`;
        first = false;
      }
      yield '\n]}\n';
    }
    return new StreamableFile(Readable.from(collection()), { type: 'application/geo+json', disposition: 'attachment; filename="claims.geojson"' });
  }

  @Get('claims/:claimId/claimreview')
  @ReadAccess()
  @ApiOperation({
    operationId: 'getClaimReview',
    summary: "schema.org ClaimReview (JSON-LD) of an assessed claim, from the editors' latest assessment",
    description: 'itemReviewed is the claim as its claimant made it, with the links of its sources as appearances; reviewRating reads corroborated 5, contested 3, refuted 1 (unverifiable: no value). 404 `claim.not_assessed` until editors assess it.',
  })
  @ApiProduces('application/ld+json')
  @ApiOkResponse({ description: 'The ClaimReview', content: { 'application/ld+json': { schema: CLAIM_REVIEW_SCHEMA } } })
  @ApiProblems(404)
  async claimReview(@Param('claimId') claimId: string, @Req() request: FastifyRequest): Promise<StreamableFile> {
    // Read as the public reads it: a confidential source's identity never goes into a review.
    const claim = await this.claims.get(claimId, null);
    const assessment = claim.assessments.at(-1);
    if (!assessment || assessment.status === 'unverified') throw new NotFoundError('claim.not_assessed', 'Editors have not assessed this claim yet');
    const conflict = await this.directory.get(claim.conflictId);
    const claimant = conflict.parties.find((p) => p.partyId === claim.claimant);
    const origin = `${request.protocol}://${request.host}`;
    const review = claimReview({
      summary: claim.summary,
      statedAt: claim.statedAt,
      claimantName: claimant?.name ?? claim.claimant,
      urls: claim.attributions.flatMap((a) => ('url' in a && a.url ? [a.url] : [])),
      assessment: { status: assessment.status, rationale: assessment.rationale, recordedAt: assessment.recordedAt },
      url: `${origin}/claims/${claim.id}`,
      publisher: 'Ceasefire tracker',
    });
    return new StreamableFile(Buffer.from(JSON.stringify(review)), { type: 'application/ld+json' });
  }
}
