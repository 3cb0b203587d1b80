import { Controller, Get, Param, Query } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { ReadAccess } from '../auth/access.decorator';
import { ApiProblems, ApiRead } from '../openapi/api-answers';
import { ProjectionRunner } from '../projections/projection-runner.service';
import { claimItem, type ClaimViewRow } from '../read-models/dashboard-queries.service';
import { ReadQuery } from '../read-models/dashboard.requests';
import { NotFoundError } from '../shared/domain-error';
import { isUuid } from '../shared/text';
import { ClaimThreadResponse, type ClaimThreadItemResponse } from './responses/web-app.response';

type ThreadRow = Omit<ClaimViewRow, 'occurred_key'> & { depth: number };

/** Threads are short (a claim, its denials, their counter-accusations): a bound against bad data. */
const MAX_DEPTH = 200;

/** GET /api/claims/:id/thread: the claim's whole thread, from the claim that opened it down. */
@ApiTags('claims')
@Controller('api/claims')
export class ClaimThreadController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly modules: ModuleRef,
  ) {}

  @Get(':claimId/thread')
  @ReadAccess()
  @ApiOperation({
    operationId: 'getClaimThread',
    summary: 'The thread a claim belongs to: the claim it answers, up to the first, and every response, recursively',
    description: 'From the claims read model: `minPosition` waits until it includes that write.',
  })
  @ApiRead(ClaimThreadResponse)
  @ApiProblems(404)
  async thread(@Param('claimId') claimId: string, @Query() query: ReadQuery): Promise<ClaimThreadResponse> {
    await this.modules.get(ProjectionRunner, { strict: false }).ensureProjected(query.minPosition);
    if (!isUuid(claimId)) throw new NotFoundError('claim.not_found', `No claim ${claimId}`);
    const rows: ThreadRow[] = await this.dataSource.query(
      `WITH RECURSIVE up AS (
              SELECT claim_id, responds_to, 0 AS n FROM claim_view_v1 WHERE claim_id = $1
              UNION ALL
              SELECT c.claim_id, c.responds_to, up.n + 1 FROM claim_view_v1 c JOIN up ON c.claim_id = up.responds_to WHERE up.n < $2),
            root AS (SELECT claim_id FROM up ORDER BY n DESC LIMIT 1),
            down AS (
              SELECT claim_id, 0 AS depth FROM root
              UNION ALL
              SELECT c.claim_id, down.depth + 1 FROM claim_view_v1 c JOIN down ON c.responds_to = down.claim_id WHERE down.depth < $2)
       SELECT v.*, down.depth FROM down JOIN claim_view_v1 v USING (claim_id)
        ORDER BY v.recorded_at, v.claim_id`,
      [claimId, MAX_DEPTH],
    );
    const root = rows.find((r) => r.depth === 0);
    if (!root) throw new NotFoundError('claim.not_found', `No claim ${claimId}`);
    const children = new Map<string, typeof rows>();
    for (const r of rows) {
      if (r.depth === 0 || r.responds_to === null) continue;
      children.set(r.responds_to, [...(children.get(r.responds_to) ?? []), r]);
    }
    const items: ClaimThreadItemResponse[] = [];
    const visit = (r: ThreadRow) => {
      items.push(threadItem(r));
      for (const child of children.get(r.claim_id) ?? []) visit(child);
    };
    visit(root);
    return { rootId: root.claim_id, items };
  }
}

function threadItem(r: ThreadRow): ClaimThreadItemResponse {
  return { ...claimItem(r), depth: r.depth };
}
