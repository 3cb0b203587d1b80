import { type DynamicModule, Module } from '@nestjs/common';
import { JetStreamPublisher, PUBLISHING } from './jetstream-publisher.service';

@Module({})
export class PublisherModule {
  /** `run: false` (the command line, ROLE=api) never connects to NATS. */
  static forRoot({ run }: { run: boolean }): DynamicModule {
    return {
      module: PublisherModule,
      global: true,
      providers: [JetStreamPublisher, { provide: PUBLISHING, useValue: run }],
      exports: [JetStreamPublisher],
    };
  }
}
