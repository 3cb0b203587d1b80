import { Global, Module } from '@nestjs/common';
import { PositionWaitGate } from './position-wait-gate';

@Global()
@Module({ providers: [PositionWaitGate], exports: [PositionWaitGate] })
export class HardeningModule {}
