import { Module } from '@nestjs/common';
import { AddPartyHandler } from './commands/add-party.handler';
import { RegisterConflictHandler } from './commands/register-conflict.handler';
import { ConflictDirectory } from './conflict-directory.service';
import { ConflictQueries } from './conflict-queries.service';
import { ConflictsController } from './conflicts.controller';

@Module({
  controllers: [ConflictsController],
  providers: [RegisterConflictHandler, AddPartyHandler, ConflictDirectory, ConflictQueries],
  exports: [ConflictDirectory, ConflictQueries],
})
export class ConflictsModule {}
