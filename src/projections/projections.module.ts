import { type DynamicModule, Module } from '@nestjs/common';
import { AsOfTimeline } from '../audit/as-of-timeline.service';
import { ConflictsModule } from '../conflicts/conflicts.module';
import { PlacesModule } from '../places/places.module';
import { ClaimsProjector } from '../read-models/claims/claims.projector';
import { DashboardQueries } from '../read-models/dashboard-queries.service';
import { DashboardController } from '../read-models/dashboard.controller';
import { SourcesProjector } from '../read-models/sources/sources.projector';
import { LiveController } from './live.controller';
import { MetricsController } from './metrics.controller';
import { PROJECTION_LOOPS, ProjectionRunner } from './projection-runner.service';
import { ProjectionsController } from './projections.controller';
import { PROJECTORS } from './projector';

@Module({})
export class ProjectionsModule {
  /** `run: false` (the command line) keeps the projectors' background loops off. */
  static forRoot({ run }: { run: boolean }): DynamicModule {
    return {
      module: ProjectionsModule,
      // The runner is one per process: every module that waits for minPosition shares it.
      global: true,
      imports: [ConflictsModule, PlacesModule],
      controllers: [DashboardController, ProjectionsController, MetricsController, LiveController],
      providers: [
        ClaimsProjector,
        SourcesProjector,
        { provide: PROJECTORS, useFactory: (claims: ClaimsProjector, sources: SourcesProjector) => [claims, sources], inject: [ClaimsProjector, SourcesProjector] },
        { provide: PROJECTION_LOOPS, useValue: run },
        ProjectionRunner,
        DashboardQueries,
        AsOfTimeline,
      ],
      exports: [ProjectionRunner, AsOfTimeline, DashboardQueries],
    };
  }
}
