import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Inject, Injectable } from '@nestjs/common';
import canonicalize from 'canonicalize';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { parse } from 'csv-parse';
import sjson from 'secure-json-parse';
import { flattenValidationErrors } from '../app.setup';
import { toClaimContent } from '../claims/commands/claim-mapping';
import { ClaimRecorder } from '../claims/commands/record-claim.handler';
import { claimDecider } from '../claims/domain/claim';
import { RecordClaimRequest } from '../claims/requests/claim.request';
import { ConflictDirectory } from '../conflicts/conflict-directory.service';
import { EventStore } from '../event-store/event-store.service';
import { idempotentEventId } from '../event-store/stream-writer.service';
import { Gazetteer } from '../places/gazetteer.service';
import { CLOCK, type Clock } from '../shared/clock';
import type { CommandMeta } from '../shared/command';
import { RuleViolation } from '../shared/decider';
import { type FieldError, TooLargeError, ValidationError } from '../shared/domain-error';
import { RequestShapePipe } from '../shared/request-shape.pipe';
import { isUuid } from '../shared/text';
import { SourceProtection } from '../sources/source-protection.service';
import { checkHeader, columnOf, exportRowToCells, type Layout, type ImportContext, nameIndex, type NameIndex, resolveName, type RowProblem, rowToBody } from './domain/claim-row';

export type ImportFormat = 'csv' | 'jsonl';
export type ImportMode = 'all-or-nothing' | 'valid-only';

export interface ImportOptions {
  conflictId: string;
  format: ImportFormat;
  mode: ImportMode;
  dryRun: boolean;
  meta: CommandMeta;
  /** Called as rows are checked and written: the phase, rows done so far, and (when writing) rows to write. */
  onProgress?: (phase: 'check' | 'write', rows: number, total?: number) => void;
}

export interface ImportReport {
  fileSha256: string;
  format: ImportFormat;
  mode: ImportMode;
  dryRun: boolean;
  /** Data rows in the file (a CSV header aside, blank lines aside). */
  rows: number;
  valid: number;
  invalid: number;
  /** Rows recorded by this upload. */
  appended: number;
  /** Valid rows an earlier upload of the same file already recorded: nothing appended for them. */
  alreadyImported: number;
  /** Whether anything was written (false for a dry run, and for all-or-nothing with an invalid row). */
  written: boolean;
  /** The problems found, in file order: row, column, message (the first MAX_REPORTED_PROBLEMS). */
  errors: RowProblem[];
  /** Problems found beyond those listed, so that a file of bad rows cannot fill the memory. */
  errorsOmitted: number;
}

/** Problems a report lists; the rest are counted. */
export const MAX_REPORTED_PROBLEMS = 10_000;

/** Files above this are refused (413): 100,000 rows of the template take about 40 MB. */
export const IMPORT_MAX_BYTES = 200 * 1024 * 1024;
/** Rows written at once: each one a group-commit item, so that a batch shares a few commits. */
const WRITE_BATCH = 64;

const shapePipe = new RequestShapePipe();
const BODY_METADATA = { type: 'body', metatype: RecordClaimRequest, data: '' } as const;

/** A row read from the file: its number, and its body or why it has none. */
type ReadRow = { row: number; body: Record<string, unknown> } | { row: number; problems: RowProblem[] };

type Checked = { ok: true; request: RecordClaimRequest } | { ok: false; problems: RowProblem[] };

/**
 * Bulk import of claims (CSV template or JSON Lines) into one conflict. Two passes over a file on
 * disk, so memory stays flat however long it is: the first checks every row by the single-claim
 * route's own rules (its request class, then its decider) and builds the report; the second, if
 * the mode allows, records the valid rows through the same recorder as `POST /api/claims`, in
 * batches that share group commits. Each row's Idempotency-Key comes from the file's SHA-256 and
 * the row number, scoped to the conflict: the same file uploaded again appends nothing.
 */
@Injectable()
export class ClaimImport {
  constructor(
    private readonly directory: ConflictDirectory,
    private readonly gazetteer: Gazetteer,
    private readonly sources: SourceProtection,
    private readonly recorder: ClaimRecorder,
    private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** An upload: spooled to a temporary file (counting its bytes), then imported from there. */
  async importStream(body: Readable, options: ImportOptions): Promise<ImportReport> {
    // Look the conflict up first: an unknown one is a 404 before any byte is stored.
    await this.directory.get(options.conflictId);
    const dir = await mkdtemp(join(tmpdir(), 'claims-import-'));
    try {
      const file = join(dir, 'upload');
      let bytes = 0;
      const limit = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          bytes += chunk.length;
          if (bytes > IMPORT_MAX_BYTES) done(new TooLargeError('import.too_large', `The file is over ${IMPORT_MAX_BYTES / 1024 / 1024} MiB: split it, or use npm run cli -- import-claims`));
          else done(null, chunk);
        },
      });
      await pipeline(body, limit, createWriteStream(file));
      return await this.importFile(file, options);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async importFile(file: string, options: ImportOptions): Promise<ImportReport> {
    const conflict = await this.directory.get(options.conflictId);
    const context: ImportContext = {
      conflictId: conflict.conflictId,
      timeZone: conflict.timeZone,
      parties: conflict.parties,
      places: (await this.gazetteer.placesOf(conflict.conflictId)).map((p) => ({ placeId: p.placeId, names: p.names })),
    };
    const index = nameIndex(context);
    const lookups = {
      partyIds: new Set(conflict.parties.map((p) => p.partyId)),
      placeIds: new Set(context.places.map((p) => p.placeId)),
      provisionIds: await this.directory.provisionIdsOf(conflict.conflictId),
    };
    const fileSha256 = await sha256Of(file);
    const report: ImportReport = {
      fileSha256,
      format: options.format,
      mode: options.mode,
      dryRun: options.dryRun,
      rows: 0,
      valid: 0,
      invalid: 0,
      appended: 0,
      alreadyImported: 0,
      written: false,
      errors: [],
      errorsOmitted: 0,
    };
    const check = (read: ReadRow) => this.check(read, options.format, context, index, lookups);

    for await (const read of readRows(file, options.format, context.timeZone)) {
      report.rows++;
      const checked = await check(read);
      if (checked.ok) report.valid++;
      else {
        report.invalid++;
        const room = Math.max(0, MAX_REPORTED_PROBLEMS - report.errors.length);
        report.errors.push(...checked.problems.slice(0, room));
        report.errorsOmitted += Math.max(0, checked.problems.length - room);
      }
      if (report.rows % 1000 === 0) options.onProgress?.('check', report.rows);
    }
    options.onProgress?.('check', report.rows);
    if (options.dryRun || report.valid === 0 || (options.mode === 'all-or-nothing' && report.invalid > 0)) return report;

    report.written = true;
    let batch: { row: number; request: RecordClaimRequest }[] = [];
    const flush = async () => {
      const outcomes = await this.writeBatch(batch, fileSha256, options);
      for (const appended of outcomes) {
        if (appended) report.appended++;
        else report.alreadyImported++;
      }
      options.onProgress?.('write', report.appended + report.alreadyImported, report.valid);
      batch = [];
    };
    for await (const read of readRows(file, options.format, context.timeZone)) {
      const checked = await check(read);
      if (!checked.ok) continue;
      batch.push({ row: read.row, request: checked.request });
      if (batch.length >= WRITE_BATCH) await flush();
    }
    if (batch.length > 0) await flush();
    return report;
  }

  /**
   * A chunk of valid rows, each through the single-claim recorder, with what every row used to
   * look up on its own looked up once for the chunk: the conflict (and its provisions and places
   * when a row names one), and which rows an earlier upload recorded (one query for the chunk's
   * event ids). A row recorded before with the same request hash counts as already imported;
   * one with another hash goes through the recorder, which refuses it as before. Whether each
   * row was appended, in order.
   */
  private async writeBatch(batch: readonly { row: number; request: RecordClaimRequest }[], fileSha256: string, options: ImportOptions): Promise<boolean[]> {
    const conflict = await this.directory.get(options.conflictId);
    const provisionIds = batch.some((b) => b.request.provisionId) ? await this.directory.provisionIdsOf(conflict.conflictId) : undefined;
    const placeIds = batch.some((b) => b.request.location?.placeId) ? await this.gazetteer.placeIdsOf(conflict.conflictId) : undefined;
    const metas = batch.map(({ row, request }) => rowMeta(request, row, fileSha256, options.meta));
    const firstIds = metas.map((meta) => idempotentEventId(meta, 0));
    const stored = await this.store.storedRequestHashes(firstIds);
    return Promise.all(
      batch.map(async ({ request }, i) => {
        const held = stored.get(firstIds[i]!);
        if (held !== undefined && held === metas[i]!.requestHash) return false;
        const { conflictId, ...fields } = request;
        const outcome = await this.recorder.record(conflictId, fields, undefined, metas[i]!, { conflict, provisionIds, placeIds, replayChecked: held === undefined });
        return outcome.appended;
      }),
    );
  }

  /** One row judged by the single-claim route's rules: names resolved, the request class validated, the decider asked. */
  private async check(read: ReadRow, format: ImportFormat, ctx: ImportContext, index: NameIndex, lookups: { partyIds: Set<string>; placeIds: Set<string>; provisionIds: Set<string> }): Promise<Checked> {
    if ('problems' in read) return { ok: false, problems: read.problems };
    const { row } = read;
    const problems = (errors: FieldError[]): Checked => ({
      ok: false,
      problems: errors.map((e) => ({ row, column: format === 'csv' ? columnOf(e.field) : e.field, message: e.message })),
    });
    const body = read.body;
    try {
      shapePipe.transform(body, BODY_METADATA);
    } catch (error) {
      if (error instanceof ValidationError) return problems(error.errors);
      throw error;
    }
    const nameErrors: FieldError[] = [];
    if (body.conflictId !== undefined && body.conflictId !== ctx.conflictId) nameErrors.push({ field: 'conflictId', message: 'conflictId names another conflict than the one imported into' });
    body.conflictId = ctx.conflictId;
    for (const field of ['claimant', 'subject'] as const) {
      if (typeof body[field] !== 'string' || body[field] === '' || lookups.partyIds.has(body[field])) continue;
      const found = resolveName(body[field], index.parties, 'party');
      if ('id' in found) body[field] = found.id;
      else nameErrors.push({ field, message: `${field}: ${found.message}` });
    }
    const location = body.location as Record<string, unknown> | undefined;
    if (location && typeof location.placeId === 'string' && !isUuid(location.placeId)) {
      const found = resolveName(location.placeId, index.places, 'place', index.placeSkeletons);
      if ('id' in found) location.placeId = found.id;
      else nameErrors.push({ field: 'location.placeId', message: `place: ${found.message}` });
    }
    const request = plainToInstance(RecordClaimRequest, body);
    const invalid = flattenValidationErrors(await validate(request, { whitelist: true, forbidNonWhitelisted: true }));
    const named = new Set(nameErrors.map((e) => e.field));
    const errors = [...nameErrors, ...invalid.filter((e) => !named.has(e.field))];
    if (errors.length > 0) return problems(errors);
    try {
      const { conflictId, ...fields } = request;
      const sealed = this.sources.seal(fields.attributions, 'attributions');
      claimDecider.decide(
        {
          type: 'RecordClaim',
          claimId: randomUUID(),
          conflictId,
          content: toClaimContent(fields, sealed, ctx.timeZone),
          partyIds: lookups.partyIds,
          provisionIds: lookups.provisionIds,
          placeIds: lookups.placeIds,
          now: this.clock.now(),
        },
        claimDecider.initialState(),
      );
    } catch (error) {
      if (error instanceof ValidationError) return problems(error.errors);
      if (error instanceof RuleViolation) return problems([{ field: String(error.extensions.field ?? ''), message: error.message }]);
      throw error;
    }
    return { ok: true, request };
  }
}

/** A row's command metadata: its Idempotency-Key from the file's hash and the row number, scoped to the conflict. */
function rowMeta(request: RecordClaimRequest, row: number, fileSha256: string, meta: CommandMeta): CommandMeta {
  const { conflictId } = request;
  return {
    ...meta,
    idempotencyKey: `import:${fileSha256}:${row}`,
    idempotencyScope: `conflict-${conflictId}`,
    // The row as recorded: the same row of the same file is the same request, whoever sends it.
    requestHash: createHash('sha256')
      .update(canonicalize({ conflictId, row, body: JSON.parse(JSON.stringify(request)) }) ?? '')
      .digest('hex'),
  };
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The delimiter of a CSV file, from its first line: a semicolon (European spreadsheets), a tab, or a comma. */
async function delimiterOf(file: string): Promise<string> {
  const handle = await open(file);
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(64 * 1024), 0, 64 * 1024, 0);
    const first = buffer.subarray(0, bytesRead).toString('utf8').split(/\r?\n/)[0] ?? '';
    const count = (c: string) => first.split(c).length - 1;
    const [best] = [',', ';', '\t'].sort((a, b) => count(b) - count(a));
    return count(best!) > 0 ? best! : ',';
  } finally {
    await handle.close();
  }
}

/** The rows of the file, one at a time: CSV through csv-parse's stream, JSON Lines line by line. */
async function* readRows(file: string, format: ImportFormat, timeZone: string): AsyncGenerator<ReadRow> {
  if (format === 'jsonl') {
    let row = 0;
    for await (const line of createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity })) {
      row++;
      const text = row === 1 ? line.replace(/^\uFEFF/, '') : line;
      if (text.trim() === '') continue;
      try {
        const body: unknown = sjson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
        if (body === null || typeof body !== 'object' || Array.isArray(body)) yield { row, problems: [{ row, column: '(line)', message: 'the line must be a JSON object: one POST /api/claims body' }] };
        else yield { row, body: body as Record<string, unknown> };
      } catch {
        yield { row, problems: [{ row, column: '(line)', message: 'the line is not valid JSON' }] };
      }
    }
    return;
  }
  const parser = createReadStream(file).pipe(
    parse({ bom: true, delimiter: await delimiterOf(file), relax_column_count: true, skip_empty_lines: true, skip_records_with_empty_values: true, trim: false }),
  );
  let columns: string[] | null = null;
  let layout: Layout = 'template';
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      row++;
      if (!columns) {
        const header = checkHeader(record);
        if (header.problems.length > 0) throw new ValidationError('The header row does not follow the import template', header.problems.map((p) => ({ field: p.column, message: p.message })), 'import.bad_header');
        columns = header.columns;
        layout = header.layout;
        continue;
      }
      if (record.length > columns.length && record.slice(columns.length).some((c) => c.trim() !== '')) {
        yield { row, problems: [{ row, column: `(column ${columns.length + 1})`, message: `the row has ${record.length} cells, the header ${columns.length}: a delimiter inside a cell that is not quoted?` }] };
        continue;
      }
      const cells: Record<string, string> = {};
      columns.forEach((column, i) => (cells[column] = record[i] ?? ''));
      if (layout === 'export') {
        const converted = exportRowToCells(cells);
        if (converted.problems.length > 0) yield { row, problems: converted.problems.map((p) => ({ row, ...p })) };
        else yield { row, body: rowToBody(converted.cells, timeZone) };
      } else yield { row, body: rowToBody(cells, timeZone) };
    }
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new ValidationError(`The file cannot be read as CSV after row ${row}: ${message}`, [{ field: `row ${row + 1}`, message }], 'import.unreadable');
  }
  if (!columns) throw new ValidationError('The file is empty: it needs a header row', [{ field: 'row 1', message: 'no header row' }], 'import.bad_header');
}
