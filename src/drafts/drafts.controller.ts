import { Body, Controller, HttpCode, Param, PayloadTooLargeException, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/access.decorator';
import { JOURNALISTS } from '../auth/roles';
import { ApiProblems, ApiRead } from '../openapi/api-answers';
import { ProjectionRunner } from '../projections/projection-runner.service';
import { ReadQuery } from '../read-models/dashboard.requests';
import { ValidationError } from '../shared/domain-error';
import { DraftsService } from './drafts.service';
import { MAX_REPORT_CHARS, ReadReportRequest } from './requests/drafts.request';
import { DraftsResponse } from './responses/drafts.response';

/** Control characters other than tab and line breaks: text with many of them is binary data. */
function controlCharacters(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) count += 1;
  }
  return count;
}

@ApiTags('drafts')
@Controller('api')
export class DraftsController {
  constructor(
    private readonly drafts: DraftsService,
    private readonly projections: ProjectionRunner,
  ) {}

  @Post('conflicts/:conflictId/drafts')
  @HttpCode(200)
  @Roles(...JOURNALISTS)
  @ApiOperation({
    operationId: 'draftClaims',
    summary: 'Read a report (wire copy) into drafts of claims and agreements, to review before recording (journalists). Stores nothing.',
    description: `Each draft holds a request body of the route that would record it, as far as the text supports it, with a confidence and a text span per field. Sentences reporting accusations without a claimant or subject become notes, not claims. At most ${MAX_REPORT_CHARS} characters of text (413 above); only English copy is read for now (the language is detected and said).`,
  })
  @ApiRead(DraftsResponse, { description: 'The drafts and notes' })
  @ApiProblems(404, 413, 503)
  async read(@Param('conflictId') conflictId: string, @Body() body: ReadReportRequest, @Query() query: ReadQuery): Promise<DraftsResponse> {
    if (body.text.length > MAX_REPORT_CHARS) {
      throw new PayloadTooLargeException(`text is ${body.text.length} characters long; at most ${MAX_REPORT_CHARS} are read`);
    }
    if (controlCharacters(body.text) > Math.max(2, body.text.length / 100)) {
      throw new ValidationError('text looks like binary data, not a report', [{ field: 'text', message: 'holds control characters: paste the report as plain text' }]);
    }
    // minPosition: the claims just recorded from these drafts are seen as recorded.
    await this.projections.ensureProjected(query.minPosition);
    return this.drafts.read(conflictId, body);
  }
}
