import { Module } from '@nestjs/common';
import { ConflictsModule } from '../conflicts/conflicts.module';
import { AddPlaceNamesHandler, CorrectPlaceHandler, RegisterPlaceHandler } from './commands/place.handlers';
import { Gazetteer } from './gazetteer.service';
import { PlacesController } from './places.controller';

@Module({
  imports: [ConflictsModule],
  controllers: [PlacesController],
  providers: [Gazetteer, RegisterPlaceHandler, AddPlaceNamesHandler, CorrectPlaceHandler],
  exports: [Gazetteer],
})
export class PlacesModule {}
