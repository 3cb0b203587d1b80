import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { parseAsOf } from '../audit/as-of';
import { AsOfTimeline } from '../audit/as-of-timeline.service';
import { ReadAccess } from '../auth/access.decorator';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { AUDITORS, type Principal, requireRole } from '../auth/roles';
import { ProjectionRunner } from '../projections/projection-runner.service';
import { DashboardQueries } from './dashboard-queries.service';
import { ClaimListQuery, ReadQuery, TimelineQuery } from './dashboard.requests';

@ApiTags('dashboards')
@Controller('api')
export class DashboardController {
  constructor(
    private readonly queries: DashboardQueries,
    private readonly projections: ProjectionRunner,
    private readonly asOf: AsOfTimeline,
  ) {}

  @Get('conflicts/:conflictId/timeline')
  @ReadAccess()
  @ApiOperation({ summary: "Each party's allegations over time, by local day, week or month; with asOf (auditors), as it stood then" })
  async timeline(@Param('conflictId') conflictId: string, @Query() query: TimelineQuery, @CurrentPrincipal() principal: Principal | null) {
    if (query.asOf !== undefined) {
      // Replaying history is an audit read (DESIGN §7), and a costly one.
      requireRole(principal, AUDITORS);
      return this.asOf.timeline(conflictId, query, parseAsOf(query.asOf));
    }
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
