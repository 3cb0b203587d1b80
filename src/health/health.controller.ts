import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiRead } from '../openapi/api-answers';
import { HealthResponse } from './health.response';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { Public } from '../auth/access.decorator';

@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly dataSource: DataSource,
  ) {}

  @Get()
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({ operationId: 'checkHealth', summary: 'Readiness: 200 when the database answers, 503 otherwise' })
  @ApiRead(HealthResponse)
  check() {
    return this.health.check([() => this.database.pingCheck('database', { connection: this.dataSource }).withTimeout(3000)]);
  }
}
