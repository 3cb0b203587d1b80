import { Inject, Injectable, Logger, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { appConfig, type AppConfig } from '../config/env';
import { DATABASE_CONNECTION, type DatabaseConnection } from '../database/database.module';
import { EventStore } from '../event-store/event-store.service';
import { loadDemoScenario } from './demo-scenario';

/**
 * Loads the demo scenario into a new, empty embedded database, so that a new user sees
 * real-looking data at once. Never with DATABASE_URL, never with DEMO=false.
 */
@Injectable()
export class DemoLoader implements OnApplicationBootstrap {
  private readonly logger = new Logger('Demo');

  constructor(
    private readonly commands: CommandBus,
    private readonly store: EventStore,
    @Inject(DATABASE_CONNECTION) private readonly connection: DatabaseConnection,
    @Inject(appConfig.KEY) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.DEMO || !this.connection.embedded?.created) return;
    if ((await this.store.head()).position > 0) return;
    const { events } = await loadDemoScenario(this.commands);
    this.logger.log(`Loaded the demo scenario (${events} events); start with DEMO=false on an empty DATA_DIR to begin without it`);
  }
}

@Module({ providers: [DemoLoader] })
export class DemoModule {}
