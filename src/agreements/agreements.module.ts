import { Module } from '@nestjs/common';
import { ConflictsModule } from '../conflicts/conflicts.module';
import { AgreementsController } from './agreements.controller';
import { CorrectAgreementHandler } from './commands/correct-agreement.handler';
import { EndAgreementHandler } from './commands/end-agreement.handler';
import { RecordAgreementHandler } from './commands/record-agreement.handler';

@Module({
  imports: [ConflictsModule],
  controllers: [AgreementsController],
  providers: [RecordAgreementHandler, CorrectAgreementHandler, EndAgreementHandler],
})
export class AgreementsModule {}
