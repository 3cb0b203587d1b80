import { Module } from '@nestjs/common';
import { ConflictsModule } from '../conflicts/conflicts.module';
import { PlacesModule } from '../places/places.module';
import { DraftsController } from './drafts.controller';
import { DraftsService } from './drafts.service';

@Module({
  imports: [ConflictsModule, PlacesModule],
  controllers: [DraftsController],
  providers: [DraftsService],
})
export class DraftsModule {}
