import type { ImportFormat } from './claim-import.service';

/** The media types an import is read as; the route's own body parser (app.setup.ts) hands their bytes over as a stream. */
export const IMPORT_MEDIA_TYPES: Record<string, ImportFormat> = {
  'text/csv': 'csv',
  'application/x-ndjson': 'jsonl',
  'application/jsonl': 'jsonl',
};

export const IMPORT_ROUTE = '/api/conflicts/:conflictId/imports';
