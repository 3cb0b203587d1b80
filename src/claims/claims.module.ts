import { Module } from '@nestjs/common';
import { ConflictsModule } from '../conflicts/conflicts.module';
import { PlacesModule } from '../places/places.module';
import { ClaimQueries } from './claim-queries.service';
import { ClaimReader } from './claim-reader.service';
import { ClaimsController } from './claims.controller';
import {
  AddAttributionHandler,
  AssessClaimHandler,
  CorrectClaimHandler,
  MarkDuplicateHandler,
  RetractClaimHandler,
  ReviseCasualtiesHandler,
  ShredIdentityHandler,
  VoidClaimHandler,
  WithdrawAttributionHandler,
} from './commands/claim-updates.handlers';
import { ClaimUpdater } from './commands/claim-updater';
import { ClaimRecorder, RecordClaimHandler, RespondToClaimHandler } from './commands/record-claim.handler';

@Module({
  imports: [ConflictsModule, PlacesModule],
  controllers: [ClaimsController],
  providers: [
    ClaimReader,
    ClaimQueries,
    ClaimRecorder,
    ClaimUpdater,
    RecordClaimHandler,
    RespondToClaimHandler,
    AddAttributionHandler,
    WithdrawAttributionHandler,
    ReviseCasualtiesHandler,
    CorrectClaimHandler,
    RetractClaimHandler,
    VoidClaimHandler,
    AssessClaimHandler,
    MarkDuplicateHandler,
    ShredIdentityHandler,
  ],
  exports: [ClaimReader, ClaimQueries, ClaimRecorder],
})
export class ClaimsModule {}
