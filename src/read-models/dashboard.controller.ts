import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ReadAccess } from '../auth/access.decorator';
import { ProjectionRunner } from '../projections/projection-runner.service';
import { DashboardQueries } from './dashboard-queries.service';
import { ClaimListQuery, ReadQuery, TimelineQuery } from './dashboard.requests';

@ApiTags('dashboards')
@Controller('api')
export class DashboardController {
  constructor(
    private readonly queries: DashboardQueries,
    private readonly projections: ProjectionRunner,
  ) {}

  @Get('conflicts/:conflictId/timeline')
  @ReadAccess()
  @ApiOperation({ summary: "Each party's allegations over time, by local day, week or month" })
  async timeline(@Param('conflictId') conflictId: string, @Query() query: TimelineQuery) {
    await this.projections.ensureProjected(query.minPosition);
    return this.queries.timeline(conflictId, query);
  }

  @Get('agreements/:agreementId/scorecard')
  @ReadAccess()
  @ApiOperation({ summary: 'Per claimant and subject: what was alleged under an agreement, and how it was answered' })
  async scorecard(@Param('agreementId') agreementId: string, @Query() query: ReadQuery) {
    await this.projections.ensureProjected(query.minPosition);
    return this.queries.scorecard(agreementId);
  }

  @Get('claims')
  @ReadAccess()
  @ApiOperation({ summary: 'Claims, newest alleged first, with filters and cursor paging; voided claims and duplicates included, flagged' })
  async claims(@Query() query: ClaimListQuery) {
    await this.projections.ensureProjected(query.minPosition);
    return this.queries.claims(query);
  }

  @Get('sources')
  @ReadAccess()
  @ApiOperation({ summary: 'Outlets: how many claims cite each, for which claimants, first and last seen' })
  async sources(@Query() query: ReadQuery) {
    await this.projections.ensureProjected(query.minPosition);
    return this.queries.sources();
  }
}
