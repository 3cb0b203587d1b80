import { Global, Module } from '@nestjs/common';
import { appConfig, type AppConfig } from '../config/env';
import type { CommitQueueOptions } from './commit-queue';
import { EventStore, GROUP_COMMIT_OPTIONS } from './event-store.service';
import { RemoteAppends } from './remote-appends.service';
import { StreamWriter } from './stream-writer.service';

@Global()
@Module({
  providers: [
    {
      provide: GROUP_COMMIT_OPTIONS,
      inject: [appConfig.KEY],
      useFactory: (config: AppConfig): CommitQueueOptions => ({ maxBatch: config.GROUP_COMMIT_MAX_BATCH, maxWaitMs: config.GROUP_COMMIT_WAIT_MS }),
    },
    EventStore,
    StreamWriter,
    RemoteAppends,
  ],
  exports: [EventStore, StreamWriter],
})
export class EventStoreModule {}
