import { Global, Module } from '@nestjs/common';
import { EventStore } from './event-store.service';
import { StreamWriter } from './stream-writer.service';

@Global()
@Module({ providers: [EventStore, StreamWriter], exports: [EventStore, StreamWriter] })
export class EventStoreModule {}
