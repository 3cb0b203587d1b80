import { ApiProperty } from '@nestjs/swagger';
import type { WriteResult } from '../shared/command';

/** The answer to every write (DESIGN §6). */
export class WriteResultResponse implements WriteResult {
  @ApiProperty({ format: 'uuid', description: 'The id of the conflict, party, agreement, claim or token written' })
  readonly id!: string;

  @ApiProperty({ type: 'integer', minimum: 1, description: "The stream's version after the write: send it as expectedVersion (or If-Match) with the next change" })
  readonly streamVersion!: number;

  @ApiProperty({
    type: 'integer',
    minimum: 1,
    description: 'The log position of the last event written: pass it as minPosition to reads to see this write',
  })
  readonly position!: number;
}
