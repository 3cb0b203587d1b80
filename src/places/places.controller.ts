import { Body, Controller, Get, Headers, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ReadAccess, Roles } from '../auth/access.decorator';
import { EDITORS } from '../auth/roles';
import { ConflictDirectory } from '../conflicts/conflict-directory.service';
import { ApiProblems, ApiRead, ApiWrite } from '../openapi/api-answers';
import type { CommandMeta, WriteResult } from '../shared/command';
import { Meta } from '../shared/command-meta.decorator';
import { answerWrite, expectedVersionOf } from '../shared/http';
import { AddPlaceNamesCommand, CorrectPlaceCommand, RegisterPlaceCommand } from './commands/place.handlers';
import { Gazetteer, type RegisteredPlace } from './gazetteer.service';
import { AddPlaceNamesRequest, CorrectPlaceRequest, PlaceSearchQuery, RegisterPlaceRequest } from './requests/place.request';
import { PlaceListResponse, PlaceResponse } from './responses/place.response';

@ApiTags('places')
@Controller('api')
export class PlacesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly gazetteer: Gazetteer,
    private readonly directory: ConflictDirectory,
  ) {}

  @Post('conflicts/:conflictId/places')
  @Roles(...EDITORS)
  @ApiOperation({ operationId: 'registerPlace', summary: "Register a place in a conflict's gazetteer, with every name it goes by (editors)" })
  @ApiWrite({ existing: false })
  @ApiProblems(404)
  async register(
    @Param('conflictId') conflictId: string,
    @Body() body: RegisterPlaceRequest,
    @Meta() meta: CommandMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WriteResult> {
    return answerWrite(reply, await this.commands.execute(new RegisterPlaceCommand(conflictId, body, meta)));
  }

  @Get('conflicts/:conflictId/places')
  @ReadAccess()
  @ApiOperation({
    operationId: 'listPlaces',
    summary: "A conflict's gazetteer, or the places a name matches",
    description: 'With `q`, the places any of whose names matches, in any script and spelling: the same name first, then names starting with q, containing it, and other transliterations of it.',
  })
  @ApiRead(PlaceListResponse)
  @ApiProblems(404)
  async list(@Param('conflictId') conflictId: string, @Query() query: PlaceSearchQuery): Promise<PlaceListResponse> {
    await this.directory.get(conflictId);
    const limit = query.limit ?? 50;
    if (query.q === undefined) {
      const places = await this.gazetteer.placesOf(conflictId);
      return { items: places.slice(0, limit).map((p) => ({ ...placeView(p), matchedName: null })), nextCursor: null };
    }
    const matches = await this.gazetteer.search(conflictId, query.q, limit);
    return { items: matches.map((m) => ({ ...placeView(m.place), matchedName: m.matchedName })), nextCursor: null };
  }

  @Get('places/:placeId')
  @ReadAccess()
  @ApiOperation({ operationId: 'getPlace', summary: 'One place with all its names' })
  @ApiRead(PlaceResponse)
  @ApiProblems(404)
  async get(@Param('placeId') placeId: string): Promise<PlaceResponse> {
    return placeView(await this.gazetteer.get(placeId));
  }

  @Post('places/:placeId/names')
  @Roles(...EDITORS)
  @ApiOperation({ operationId: 'addPlaceNames', summary: 'Add names a place goes by, with who uses them (editors)' })
  @ApiWrite({ existing: true })
  @ApiProblems(404)
  async addNames(
    @Param('placeId') placeId: string,
    @Body() body: AddPlaceNamesRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Meta() meta: CommandMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WriteResult> {
    const expectedVersion = expectedVersionOf(body.expectedVersion, ifMatch);
    return answerWrite(reply, await this.commands.execute(new AddPlaceNamesCommand(placeId, body, expectedVersion, meta)));
  }

  @Post('places/:placeId/corrections')
  @Roles(...EDITORS)
  @ApiOperation({ operationId: 'correctPlace', summary: "Correct a place's coordinates, kind or parent (editors)" })
  @ApiWrite({ existing: true })
  @ApiProblems(404)
  async correct(
    @Param('placeId') placeId: string,
    @Body() body: CorrectPlaceRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Meta() meta: CommandMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WriteResult> {
    const expectedVersion = expectedVersionOf(body.expectedVersion, ifMatch);
    return answerWrite(reply, await this.commands.execute(new CorrectPlaceCommand(placeId, body, expectedVersion, meta)));
  }
}

function placeView(p: RegisteredPlace): PlaceResponse {
  return {
    id: p.placeId,
    conflictId: p.conflictId,
    names: p.names.map((n) => ({ name: n.name, language: n.language ?? null, usedBy: n.usedBy })),
    lat: p.lat,
    lon: p.lon,
    kind: p.kind,
    parent: p.parent ?? null,
    version: p.version,
  };
}
