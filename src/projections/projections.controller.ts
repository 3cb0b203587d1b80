import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems, ApiRead } from '../openapi/api-answers';
import { ProjectionListResponse, ProjectionStatusResponse } from './responses/projection.response';
import { Roles } from '../auth/access.decorator';
import { ADMINS } from '../auth/roles';
import { ProjectionRunner } from './projection-runner.service';

@ApiTags('admin')
@Controller('api/admin/projections')
export class ProjectionsController {
  constructor(private readonly runner: ProjectionRunner) {}

  @Get()
  @Roles(...ADMINS)
  @ApiOperation({ operationId: 'listProjections', summary: 'Each projector: checkpoint, lag in events and seconds, and the content digest of its read models' })
  @ApiRead(ProjectionListResponse)
  async list(): Promise<ProjectionListResponse> {
    return { items: await this.runner.status() };
  }

  @Post(':name/rebuild')
  @Roles(...ADMINS)
  @HttpCode(200)
  @ApiOperation({ operationId: 'rebuildProjection', summary: 'Rebuild a projection from position 0 beside the live one, then switch atomically' })
  @ApiRead(ProjectionStatusResponse, { description: 'Rebuilt and switched in: its status now' })
  @ApiProblems(404, 409)
  rebuild(@Param('name') name: string): Promise<ProjectionStatusResponse> {
    return this.runner.rebuild(name);
  }
}
