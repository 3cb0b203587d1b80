import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';

export const IMPORT_MODES = ['all-or-nothing', 'valid-only'] as const;
export const REPORT_FORMATS = ['json', 'csv'] as const;

const toBoolean = ({ value }: { value: unknown }): unknown => (value === 'true' ? true : value === 'false' ? false : value);

export class ImportQuery {
  @ApiPropertyOptional({
    enum: IMPORT_MODES,
    default: 'all-or-nothing',
    description: 'all-or-nothing: one invalid row and nothing is recorded (422 with the report). valid-only: the valid rows are recorded, the others reported.',
  })
  @IsOptional()
  @IsIn(IMPORT_MODES)
  readonly mode?: (typeof IMPORT_MODES)[number];

  @ApiPropertyOptional({ type: 'boolean', default: false, description: 'Only check the file and answer the report: nothing is recorded' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'dryRun must be true or false' })
  readonly dryRun?: boolean;

  @ApiPropertyOptional({ enum: REPORT_FORMATS, default: 'json', description: 'The report as JSON, or as CSV (row, column, message) — also chosen by `Accept: text/csv`' })
  @IsOptional()
  @IsIn(REPORT_FORMATS)
  readonly report?: (typeof REPORT_FORMATS)[number];
}
