import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/access.decorator';
import { ADMINS } from '../auth/roles';
import { ProjectionRunner } from './projection-runner.service';

@ApiTags('admin')
@ApiBearerAuth()
@Controller('api/admin/projections')
export class ProjectionsController {
  constructor(private readonly runner: ProjectionRunner) {}

  @Get()
  @Roles(...ADMINS)
  @ApiOperation({ summary: 'Each projector: checkpoint, lag in events and seconds, and the content digest of its read models' })
  async list() {
    return { items: await this.runner.status() };
  }

  @Post(':name/rebuild')
  @Roles(...ADMINS)
  @HttpCode(200)
  @ApiOperation({ summary: 'Rebuild a projection from position 0 beside the live one, then switch atomically' })
  rebuild(@Param('name') name: string) {
    return this.runner.rebuild(name);
  }
}
