import { type DynamicModule, Module } from '@nestjs/common';
import { ClaimsModule } from '../claims/claims.module';
import { AuditController } from './audit.controller';
import { CheckpointSigner, PERIODIC_CHECKPOINTS } from './checkpoint-signer.service';
import { LogTransfer } from './log-transfer.service';

@Module({})
export class AuditModule {
  /** `periodic: false` (the command line) signs checkpoints only when asked. */
  static forRoot({ periodic }: { periodic: boolean }): DynamicModule {
    return {
      module: AuditModule,
      imports: [ClaimsModule],
      controllers: [AuditController],
      providers: [LogTransfer, CheckpointSigner, { provide: PERIODIC_CHECKPOINTS, useValue: periodic }],
      exports: [LogTransfer, CheckpointSigner],
    };
  }
}
