import { Module } from '@nestjs/common';
import { ClaimsModule } from '../claims/claims.module';
import { ConflictsModule } from '../conflicts/conflicts.module';
import { ClaimsExport } from './claims-export.service';
import { ExportsController } from './exports.controller';

@Module({
  imports: [ConflictsModule, ClaimsModule],
  controllers: [ExportsController],
  providers: [ClaimsExport],
})
export class ExportsModule {}
