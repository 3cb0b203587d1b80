import { Module } from '@nestjs/common';
import { ClaimsModule } from '../claims/claims.module';
import { ConflictsModule } from '../conflicts/conflicts.module';
import { PlacesModule } from '../places/places.module';
import { ClaimImport } from './claim-import.service';
import { ImportsController } from './imports.controller';

@Module({
  imports: [ConflictsModule, PlacesModule, ClaimsModule],
  controllers: [ImportsController],
  providers: [ClaimImport],
  exports: [ClaimImport],
})
export class ImportsModule {}
