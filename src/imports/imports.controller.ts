import type { Readable } from 'node:stream';
import { Controller, Get, Headers, Param, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, getSchemaPath, ApiExtraModels } from '@nestjs/swagger';
import { stringify } from 'csv-stringify/sync';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ReadAccess, Roles } from '../auth/access.decorator';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { JOURNALISTS, type Principal } from '../auth/roles';
import { ApiProblems } from '../openapi/api-answers';
import { metaFor } from '../shared/command';
import { RuleViolation } from '../shared/decider';
import { ValidationError } from '../shared/domain-error';
import { ClaimImport, IMPORT_MAX_BYTES } from './claim-import.service';
import { templateHeader } from './domain/claim-row';
import { IMPORT_MEDIA_TYPES } from './import-media-types';
import { ImportQuery } from './requests/import.request';
import { ImportReportResponse } from './responses/import-report.response';

const REPORT_CSV_SCHEMA = { type: 'string', description: 'row,column,message — one line per problem, after a header line' } as const;

@ApiTags('imports')
@ApiExtraModels(ImportReportResponse)
@Controller('api')
export class ImportsController {
  constructor(private readonly imports: ClaimImport) {}

  @Post('conflicts/:conflictId/imports')
  @Roles(...JOURNALISTS)
  @ApiOperation({
    operationId: 'importClaims',
    summary: 'Import claims from a CSV file (the template) or JSON Lines (one POST /api/claims body a line)',
    description: [
      'The body is the file itself, streamed: `Content-Type: text/csv` for the template of docs/claims-import.md (comma, semicolon or tab; a BOM and CRLF are fine), `application/x-ndjson` for JSON Lines.',
      "Every row is checked by the rules of `POST /api/claims`; parties and gazetteer places may be given by name, short name or alias (never invented: an unknown name is reported). Times without an offset are read in the conflict's time zone.",
      'The report lists each problem by row and column. `dryRun=true` only checks. In `all-or-nothing` mode (the default) one invalid row means nothing is recorded: 422 `import.invalid_rows` with the report in `report`. In `valid-only` mode the valid rows are recorded.',
      "Each row's idempotency key is the file's SHA-256 and the row number, within the conflict: uploading the same file again records nothing twice (`alreadyImported`).",
      `400 \`import.bad_header\` for columns the template does not have, \`import.unreadable\` for a file that is not CSV; 413 over ${IMPORT_MAX_BYTES / 1024 / 1024} MiB.`,
    ].join('\n\n'),
  })
  @ApiConsumes(...Object.keys(IMPORT_MEDIA_TYPES))
  @ApiBody({ schema: { type: 'string', format: 'binary' }, description: 'The file' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    description: 'The report; the claims were recorded unless it was a dry run',
    content: { 'application/json': { schema: { $ref: getSchemaPath(ImportReportResponse) } }, 'text/csv': { schema: REPORT_CSV_SCHEMA } },
  })
  @ApiProblems(404, 413, 422)
  async import(
    @Param('conflictId') conflictId: string,
    @Query() query: ImportQuery,
    @Headers('content-type') contentType: string | undefined,
    @Headers('accept') accept: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ImportReportResponse | StreamableFile> {
    const format = IMPORT_MEDIA_TYPES[(contentType ?? '').split(';')[0]!.trim().toLowerCase()];
    if (!format) throw new ValidationError('Send the file as text/csv or application/x-ndjson', [{ field: 'Content-Type', message: 'must be text/csv or application/x-ndjson' }]);
    const requestId = String(request.id);
    const report = await this.imports.importStream(request.body as Readable, {
      conflictId,
      format,
      mode: query.mode ?? 'all-or-nothing',
      dryRun: query.dryRun ?? false,
      meta: metaFor(principal, { requestId, correlationId: requestId, causationId: null, idempotencyKey: null, requestHash: '' }),
    });
    if (!report.dryRun && report.mode === 'all-or-nothing' && report.invalid > 0) {
      throw new RuleViolation('import.invalid_rows', `${report.invalid} of ${report.rows} rows are invalid: nothing was recorded. Fix them, or import with mode=valid-only`, { report });
    }
    void reply.status(200);
    const wantsCsv = query.report === 'csv' || (query.report === undefined && /\btext\/csv\b/.test(accept ?? ''));
    if (!wantsCsv) return report;
    const csv = stringify(report.errors, { header: true, columns: ['row', 'column', 'message'] });
    return new StreamableFile(Buffer.from(csv), { type: 'text/csv; charset=utf-8', disposition: 'attachment; filename="import-report.csv"' });
  }

  @Get('imports/template.csv')
  @ReadAccess()
  @ApiOperation({ operationId: 'getImportTemplate', summary: 'The claims import template: its header row and one example row', description: 'Columns: docs/claims-import.md.' })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'The template', content: { 'text/csv': { schema: { type: 'string' } } } })
  template(): StreamableFile {
    return new StreamableFile(Buffer.from(templateCsv()), { type: 'text/csv; charset=utf-8', disposition: 'attachment; filename="claims-import-template.csv"' });
  }
}

/** The template: its header, and a row as a desk would fill it in. */
export function templateCsv(): string {
  const header = templateHeader(2);
  const example: Record<string, string> = {
    claimant: 'Azerbaijan',
    subject: 'Armenia',
    assertion: 'violated',
    category: 'shelling',
    occurred_from: '2020-10-11 01:00',
    occurred_to: '2020-10-11 03:00',
    occurred_precision: 'hour',
    occurred_raw: 'overnight',
    stated_at: '2020-10-11T09:30:00+04:00',
    location: 'Tartar',
    location_alt_names: 'Terter',
    latitude: '40.34',
    longitude: '46.93',
    geo_precision: 'settlement',
    civilian_killed_min: '1',
    civilian_killed_max: '1',
    civilian_wounded_min: '3',
    civilian_wounded_max: '5',
    summary: 'Armenian forces shelled Tartar overnight, the Azerbaijani Defence Ministry said.',
    source1_outlet: 'TASS',
    source1_speaker: 'Azerbaijani Defence Ministry',
    source1_url: 'https://tass.com/world/1211943',
    source1_language: 'ru',
    source1_reliability: 'B',
    source1_credibility: '3',
  };
  return stringify([header, header.map((c) => example[c] ?? '')], { record_delimiter: '\r\n' });
}
