import { Controller, Get, Inject } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { Public } from '../auth/access.decorator';
import { ReadReplicas } from '../database/read-replicas.service';
import { hardeningConfig, type HardeningConfig } from '../hardening/hardening.config';
import { ApiProblems, ApiRead } from '../openapi/api-answers';
import { ProjectionRunner } from '../projections/projection-runner.service';
import { DatabaseUnavailableError, isDatabaseUnavailable } from '../shared/database-unavailable';
import { DomainError } from '../shared/domain-error';
import { HealthResponse } from './health.response';
import { LivenessResponse, ReadinessResponse } from './readiness.response';

const CHECK_TIMEOUT_MS = 3000;

type Check = { status: 'up' | 'down'; message?: string; pending?: number; lagSeconds?: number; behind?: string[] };
type Checks = { database: Check; migrations: Check; projections: Check };

export class NotReadyError extends DomainError {
  readonly kind = 'unavailable';
  constructor(checks: Checks) {
    super('health.not_ready', 'Not ready: see checks', { checks, retryAfter: 5 });
  }
}

@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly dataSource: DataSource,
    private readonly moduleRef: ModuleRef,
    private readonly replicas: ReadReplicas,
    @Inject(hardeningConfig.KEY) private readonly config: HardeningConfig,
  ) {}

  @Get()
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({ operationId: 'checkHealth', summary: 'Whether the database answers: 200, or 503 database.unavailable' })
  @ApiRead(HealthResponse)
  async check() {
    try {
      return await this.health.check([() => this.database.pingCheck('database', { connection: this.dataSource }).withTimeout(CHECK_TIMEOUT_MS)]);
    } catch {
      throw new DatabaseUnavailableError();
    }
  }

  @Get('live')
  @ApiOperation({ operationId: 'checkLiveness', summary: 'Liveness: 200 while the process serves requests (it asks nothing of the database)' })
  @ApiRead(LivenessResponse)
  live(): LivenessResponse {
    return { status: 'ok', uptime: Math.floor(process.uptime()) };
  }

  @Get('ready')
  @ApiOperation({
    operationId: 'checkReadiness',
    summary: 'Readiness: the database answers, every migration is applied, no projector lags past READY_MAX_LAG_SECONDS or is rebuilding',
    description: 'A 503 (`health.not_ready`, with `Retry-After`) carries `checks`, naming what is down.',
  })
  @ApiRead(ReadinessResponse)
  @ApiProblems(503)
  async ready(): Promise<ReadinessResponse> {
    const database = await this.probe(async () => {
      await this.dataSource.query('SELECT 1');
      return { status: 'up' };
    });
    const migrations =
      database.status === 'down'
        ? { status: 'down' as const, message: 'the database does not answer' }
        : await this.probe(async () => {
            const pending = (await this.dataSource.showMigrations()) ? await this.pendingMigrations() : 0;
            return pending === 0 ? { status: 'up', pending } : { status: 'down', pending, message: `${pending} migrations not applied` };
          });
    const projections =
      database.status === 'down'
        ? { status: 'down' as const, message: 'the database does not answer' }
        : await this.probe(async () => {
            const runner = this.moduleRef.get(ProjectionRunner, { strict: false });
            const progress = await runner.progress();
            const lagSeconds = Math.max(0, ...progress.map((p) => p.lagSeconds));
            const behind = progress.filter((p) => p.lagSeconds > this.config.READY_MAX_LAG_SECONDS || runner.isRebuilding(p.name)).map((p) => p.name);
            return behind.length === 0
              ? { status: 'up', lagSeconds }
              : { status: 'down', lagSeconds, behind, message: `lagging more than ${this.config.READY_MAX_LAG_SECONDS} s, or rebuilding` };
          });
    const checks = { database, migrations, projections };
    if (Object.values(checks).some((c) => c.status === 'down')) throw new NotReadyError(checks);
    // A replica out of rotation does not make the instance unready: the primary answers its reads.
    const replicas = this.replicas.configured ? { replicas: { status: 'up' as const, replicas: this.replicas.states() } } : {};
    return { status: 'ok', checks: { ...checks, ...replicas } as ReadinessResponse['checks'] };
  }

  private async pendingMigrations(): Promise<number> {
    const applied: { name: string }[] = await this.dataSource.query('SELECT name FROM migrations');
    const names = new Set(applied.map((m) => m.name));
    return this.dataSource.migrations.filter((m) => !names.has(m.name!)).length;
  }

  private async probe(check: () => Promise<Check>): Promise<Check> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        check(),
        new Promise<Check>((resolve) => {
          timer = setTimeout(() => resolve({ status: 'down', message: `no answer within ${CHECK_TIMEOUT_MS} ms` }), CHECK_TIMEOUT_MS);
        }),
      ]);
    } catch (error) {
      return { status: 'down', message: isDatabaseUnavailable(error) ? 'the database is unavailable' : 'the check failed (see the logs)' };
    } finally {
      clearTimeout(timer);
    }
  }
}
