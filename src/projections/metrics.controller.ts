import { Controller, Get, Header, Inject, type OnModuleDestroy } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiOkResponse, ApiOperation, ApiProduces, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { Public } from '../auth/access.decorator';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { ADMINS, type Principal, requireRole } from '../auth/roles';
import { hardeningConfig, type HardeningConfig } from '../hardening/hardening.config';
import { ApiProblems } from '../openapi/api-answers';
import { ProjectionRunner } from './projection-runner.service';

/** Prometheus metrics: the process's own, and each projector's checkpoint and lag. */
@ApiTags('operations')
@Public()
@Controller('metrics')
export class MetricsController implements OnModuleDestroy {
  private readonly registry = new Registry();
  private readonly head = new Gauge({ name: 'ceasefire_events_head_position', help: 'Last position of the event log', registers: [this.registry] });
  private readonly checkpoint = new Gauge({
    name: 'ceasefire_projection_checkpoint',
    help: 'Last log position applied by the projector',
    labelNames: ['projector'],
    registers: [this.registry],
  });
  private readonly lagEvents = new Gauge({
    name: 'ceasefire_projection_lag_events',
    help: 'Events in the log the projector has not applied yet',
    labelNames: ['projector'],
    registers: [this.registry],
  });
  private readonly lagSeconds = new Gauge({
    name: 'ceasefire_projection_lag_seconds',
    help: 'Age of the oldest event the projector has not applied yet',
    labelNames: ['projector'],
    registers: [this.registry],
  });

  constructor(
    private readonly runner: ProjectionRunner,
    @Inject(hardeningConfig.KEY) private readonly config: HardeningConfig,
  ) {
    collectDefaultMetrics({ register: this.registry });
  }

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({
    operationId: 'getMetrics',
    summary: 'Prometheus metrics: the process, the log head, and each projector\'s checkpoint and lag',
    description: 'In the Prometheus text exposition format (version 0.0.4), for a Prometheus server to scrape.',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'The metrics', content: { 'text/plain': { schema: { type: 'string' } } } })
  // Admins only unless METRICS_PUBLIC: metrics tell how busy the service is and how far behind.
  @ApiSecurity({})
  @ApiBearerAuth('bearer')
  @ApiExtension('x-access', 'metrics')
  @ApiProblems(401, 403)
  async metrics(@CurrentPrincipal() principal: Principal | null): Promise<string> {
    if (!this.config.METRICS_PUBLIC) requireRole(principal, ADMINS);
    // Read once, before any gauge is written out, so that one scrape is one consistent picture.
    for (const p of await this.runner.progress()) {
      this.head.set(p.head);
      this.checkpoint.set({ projector: p.name }, p.checkpoint);
      this.lagEvents.set({ projector: p.name }, p.lagEvents);
      this.lagSeconds.set({ projector: p.name }, p.lagSeconds);
    }
    return this.registry.metrics();
  }

  onModuleDestroy(): void {
    this.registry.clear();
  }
}
