import { Module } from '@nestjs/common';
import { ClaimsModule } from '../claims/claims.module';
import { ConflictsModule } from '../conflicts/conflicts.module';
import { PlacesModule } from '../places/places.module';
import { ChangeIncidentHandler, OpenIncidentHandler } from './commands/incident.handlers';
import { IncidentDirectory } from './incident-directory.service';
import { IncidentsController } from './incidents.controller';
import { RelatedFinder } from './related.service';

@Module({
  imports: [ConflictsModule, PlacesModule, ClaimsModule],
  controllers: [IncidentsController],
  providers: [IncidentDirectory, RelatedFinder, OpenIncidentHandler, ChangeIncidentHandler],
})
export class IncidentsModule {}
