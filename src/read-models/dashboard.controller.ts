import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems, ApiRead } from '../openapi/api-answers';
import { ClaimListResponse } from '../claims/responses/claim.response';
import { ClaimPlacesResponse, ScorecardResponse, SourceListResponse, TimelineCompactResponse, TimelineResponse } from './responses/dashboard.response';
import { compactTimeline } from './compact-timeline';
import { parseAsOf } from '../audit/as-of';
import { AsOfTimeline } from '../audit/as-of-timeline.service';
import { ReadAccess } from '../auth/access.decorator';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { AUDITORS, type Principal, requireRole } from '../auth/roles';
import { ConflictDirectory } from '../conflicts/conflict-directory.service';
import { ProjectionRunner } from '../projections/projection-runner.service';
import { DashboardQueries } from './dashboard-queries.service';
import { CACHED_READ_HEADERS, CachedRead } from './read-cache.interceptor';
import { ClaimListQuery, PlacesQuery, ReadQuery, TimelineQuery } from './dashboard.requests';

@ApiTags('dashboards')
@Controller('api')
export class DashboardController {
  constructor(
    private readonly queries: DashboardQueries,
    private readonly projections: ProjectionRunner,
    private readonly asOf: AsOfTimeline,
    private readonly directory: ConflictDirectory,
  ) {}

  @Get('conflicts/:conflictId/timeline')
  @ReadAccess()
  @ApiOperation({
    operationId: 'getTimeline',
    summary: "Each party's allegations over time, by local day, week or month",
    description:
      'Counts by when things allegedly happened (`by=occurred`) or when they were said (`by=stated`), in local dates of the conflict\'s time zone. With `asOf` (auditors only: 401/403 otherwise) the timeline as the record stood at that log position or recorded-at instant, replayed from the log.\n\nTwo clocks: `from`/`to` filter by *occurred* (or *stated*) local dates, when things allegedly happened; `asOf` is *recorded at*, when the tracker learned of them. Claims about October 2020 recorded in 2026 are all missing from `asOf=2020-10-12T00:00:00Z`; the answer\'s `asOf.firstClaimRecordedAt` says when the first was recorded, and `to=2020-10-12` is the other question (what allegedly happened by then).',
  })
  @ApiRead(TimelineResponse, { description: 'The timeline; with asOf, as it stood then (no ETag then)', headers: CACHED_READ_HEADERS })
  @CachedRead('claims')
  @ApiProblems(403, 404)
  async timeline(
    @Param('conflictId') conflictId: string,
    @Query() query: TimelineQuery,
    @CurrentPrincipal() principal: Principal | null,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TimelineResponse | string> {
    const replayed = await this.replayedOrProjected(conflictId, query, principal);
    if (replayed) return replayed;
    // The answer's text as PostgreSQL built it (the bytes JSON.stringify would give), sent as it is.
    const json = await this.queries.timelineJson(conflictId, query);
    void reply.type('application/json; charset=utf-8');
    return json;
  }

  @Get('conflicts/:conflictId/timeline/compact')
  @ReadAccess()
  @ApiOperation({
    operationId: 'getTimelineCompact',
    summary: 'The timeline in columns, for charts: the same numbers, a fraction of the size',
    description:
      'The same parameters, rules and access as `GET /api/conflicts/{conflictId}/timeline` (asOf for auditors), answered as columns: the periods once, each direction\'s counts as arrays at indexes into them, and the casualties summed over every direction per period. The dashboard reads this; the timeline route keeps its documented shape.',
  })
  @ApiRead(TimelineCompactResponse, { description: 'The timeline in columns; with asOf, as it stood then (no ETag then)', headers: CACHED_READ_HEADERS })
  @CachedRead('claims')
  @ApiProblems(403, 404)
  async timelineCompact(
    @Param('conflictId') conflictId: string,
    @Query() query: TimelineQuery,
    @CurrentPrincipal() principal: Principal | null,
  ): Promise<TimelineCompactResponse> {
    return compactTimeline((await this.replayedOrProjected(conflictId, query, principal)) ?? (await this.queries.timeline(conflictId, query)));
  }

  /**
   * With `asOf`, the timeline replayed from the log as it stood then (an audit read, DESIGN §7,
   * and a costly one); without, null once the read model has reached `minPosition`.
   */
  private async replayedOrProjected(conflictId: string, query: TimelineQuery, principal: Principal | null): Promise<TimelineResponse | null> {
    if (query.asOf === undefined) {
      await this.projections.ensureProjected(query.minPosition);
      return null;
    }
    requireRole(principal, AUDITORS);
    return this.asOf.timeline(conflictId, query, parseAsOf(query.asOf));
  }

  @Get('conflicts/:conflictId/claim-places')
  @ReadAccess()
  @ApiOperation({
    operationId: 'getClaimPlaces',
    summary: 'Where: counted claims with coordinates, per place and direction (for a map)',
    description: 'Grouped on the server: a map of a large conflict loads places and counts, never the claims. `agreementId` as for the timeline.',
  })
  @ApiRead(ClaimPlacesResponse, { headers: CACHED_READ_HEADERS })
  @CachedRead('claims')
  @ApiProblems(404)
  async places(@Param('conflictId') conflictId: string, @Query() query: PlacesQuery): Promise<ClaimPlacesResponse> {
    await this.projections.ensureProjected(query.minPosition);
    return this.queries.places(conflictId, query.agreementId);
  }

  @Get('agreements/:agreementId/scorecard')
  @ReadAccess()
  @ApiOperation({
    operationId: 'getScorecard',
    summary: 'Per claimant and subject: what was alleged under an agreement, and how it was answered',
    description:
      "`rows` count the claims about events while the agreement was in force; `provisions` count, per provision of the agreement, the claims that name it (provisionId), whenever they happened.",
  })
  @ApiRead(ScorecardResponse, { headers: CACHED_READ_HEADERS })
  // The provisions are read from the log, which is never behind the read model: the body is
  // never older than its tag, and agreement events move the claims projector's position too.
  @CachedRead('claims')
  @ApiProblems(404)
  async scorecard(@Param('agreementId') agreementId: string, @Query() query: ReadQuery): Promise<ScorecardResponse> {
    await this.projections.ensureProjected(query.minPosition);
    const agreement = await this.directory.findAgreement(agreementId);
    return this.queries.scorecard(agreementId, agreement?.provisions ?? []);
  }

  @Get('claims')
  @ReadAccess()
  @ApiOperation({ operationId: 'listClaims', summary: 'Claims, newest alleged first, with filters and cursor paging; voided claims and duplicates included, flagged' })
  @ApiRead(ClaimListResponse, { headers: CACHED_READ_HEADERS })
  @CachedRead('claims')
  async claims(@Query() query: ClaimListQuery): Promise<ClaimListResponse> {
    await this.projections.ensureProjected(query.minPosition);
    return this.queries.claims(query);
  }

  @Get('sources')
  @ReadAccess()
  @ApiOperation({ operationId: 'listSources', summary: 'Outlets: how many claims cite each, for which claimants, first and last seen' })
  @ApiRead(SourceListResponse, { headers: CACHED_READ_HEADERS })
  @CachedRead('sources')
  async sources(@Query() query: ReadQuery): Promise<SourceListResponse> {
    await this.projections.ensureProjected(query.minPosition);
    return this.queries.sources();
  }
}
