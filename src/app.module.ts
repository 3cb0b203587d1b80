import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { CqrsModule } from '@nestjs/cqrs';
import { AgreementsModule } from './agreements/agreements.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { ClaimsModule } from './claims/claims.module';
import { ConflictsModule } from './conflicts/conflicts.module';
import { DemoModule } from './demo/demo.module';
import { DraftsModule } from './drafts/drafts.module';
import { ExportsModule } from './exports/exports.module';
import { ImportsModule } from './imports/imports.module';
import { IncidentsModule } from './incidents/incidents.module';
import { PlacesModule } from './places/places.module';
import { ProjectionsModule } from './projections/projections.module';
import { SharedModule } from './shared/shared.module';
import { SourcesModule } from './sources/sources.module';
import { appConfig, appConfigFor, type AppConfig } from './config/env';
import { DatabaseModule } from './database/database.module';
import { EventStoreModule } from './event-store/event-store.module';
import { HardeningModule } from './hardening/hardening.module';
import { hardeningConfigFor } from './hardening/hardening.config';
import { HealthModule } from './health/health.module';
import { AppLogger, createPino } from './shared/logging';
import { WebAppModule } from './web-app/web-app.module';

@Module({})
export class AppModule {
  /**
   * The whole application. `env` overrides the process environment (tests, CLI); the result is
   * validated once, and a bad value stops start-up with a message naming the variable.
   * `background: false` (the command line) leaves out the server's background work: the
   * projectors' loops and periodic checkpoint signing.
   */
  static forRoot(env: Record<string, string | undefined> = {}, { background = true }: { background?: boolean } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          validatePredefined: false,
          skipProcessEnv: true,
          load: [appConfigFor(env), hardeningConfigFor(env)],
        }),
        CqrsModule.forRoot(),
        DatabaseModule,
        EventStoreModule,
        SharedModule,
        SourcesModule,
        AuthModule,
        ConflictsModule,
        AgreementsModule,
        PlacesModule,
        ClaimsModule,
        IncidentsModule,
        DraftsModule,
        ExportsModule,
        ImportsModule,
        ProjectionsModule.forRoot({ run: background }),
        AuditModule.forRoot({ periodic: background }),
        HealthModule,
        HardeningModule,
        DemoModule,
        WebAppModule,
      ],
      providers: [{ provide: AppLogger, inject: [appConfig.KEY], useFactory: (config: AppConfig) => new AppLogger(createPino(config)) }],
    };
  }
}
