import { ApiProperty } from '@nestjs/swagger';
import { WriteResultResponse } from '../../openapi/write-result.response';
import { ROLES, type Role } from '../roles';

export class IssuedTokenResponse extends WriteResultResponse {
  @ApiProperty({
    type: String,
    nullable: true,
    pattern: '^cft_[A-Za-z0-9_-]{43}$',
    description: 'The token itself, shown this once; null when the answer replays an earlier request (only its hash is kept)',
  })
  readonly token!: string | null;

  @ApiProperty({ enum: ROLES, enumName: 'Role' })
  readonly role!: Role;

  @ApiProperty({ example: 'Baku desk' })
  readonly name!: string;
}
