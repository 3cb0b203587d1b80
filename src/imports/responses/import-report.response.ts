import { ApiProperty } from '@nestjs/swagger';
import { IMPORT_MODES } from '../requests/import.request';

export class RowProblemResponse {
  @ApiProperty({ type: 'integer', minimum: 1, example: 12, description: 'The row of the file: in a CSV file the header is row 1; in JSON Lines, the line' })
  readonly row!: number;

  @ApiProperty({ example: 'source1_reliability', description: "The template's column (CSV), or the field's path in the body (JSON Lines)" })
  readonly column!: string;

  @ApiProperty({ example: 'reliability must be one of the following values: A, B, C, D, E, F' })
  readonly message!: string;
}

/** What an import found and did. */
export class ImportReportResponse {
  @ApiProperty({ pattern: '^[0-9a-f]{64}$', description: "The file's SHA-256: with the row number, each row's idempotency key" })
  readonly fileSha256!: string;

  @ApiProperty({ enum: ['csv', 'jsonl'] })
  readonly format!: 'csv' | 'jsonl';

  @ApiProperty({ enum: IMPORT_MODES })
  readonly mode!: (typeof IMPORT_MODES)[number];

  @ApiProperty()
  readonly dryRun!: boolean;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Data rows in the file (the header and blank lines aside)' })
  readonly rows!: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  readonly valid!: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  readonly invalid!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Claims this upload recorded' })
  readonly appended!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Valid rows an earlier upload of the same file already recorded: nothing was appended for them' })
  readonly alreadyImported!: number;

  @ApiProperty({ description: 'Whether anything was recorded or replayed (false for a dry run, and when all-or-nothing met an invalid row)' })
  readonly written!: boolean;

  @ApiProperty({ type: [RowProblemResponse], description: 'The problems, in file order: the first 10,000' })
  readonly errors!: RowProblemResponse[];

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Problems found beyond the 10,000 listed' })
  readonly errorsOmitted!: number;
}
