import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsIn,
  IsLatitude,
  IsLongitude,
  IsNumber,
  IsObject,
  IsOptional,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { ExpectedVersion, PageLimit, Text } from '../../shared/validation';
import { PLACE_KINDS, type PlaceKind } from '../domain/place';

export class PlaceNameRequest {
  @Text(300, 'Gəncə')
  readonly name!: string;

  @ApiPropertyOptional({ example: 'az', description: 'BCP 47 language tag of the name as written' })
  @IsOptional()
  @Matches(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, { message: 'language must be a BCP 47 language tag such as az or hy-AM' })
  readonly language?: string;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'The parties that use this name' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  readonly usedBy?: string[];
}

const Names = (description: string) =>
  applyDecorators(
    ApiProperty({ type: [PlaceNameRequest], minItems: 1, description }),
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(50),
    IsObject({ each: true }),
    ValidateNested({ each: true }),
    Type(() => PlaceNameRequest),
  );

class PlaceFieldsRequest {
  @ApiProperty({ type: 'number', minimum: -90, maximum: 90, example: 40.6828 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsLatitude({ message: 'lat must be a latitude between -90 and 90' })
  readonly lat!: number;

  @ApiProperty({ type: 'number', minimum: -180, maximum: 180, example: 46.3606 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsLongitude({ message: 'lon must be a longitude between -180 and 180' })
  readonly lon!: number;

  @ApiProperty({ enum: PLACE_KINDS, enumName: 'PlaceKind' })
  @IsIn(PLACE_KINDS)
  readonly kind!: PlaceKind;

  @ApiPropertyOptional({ format: 'uuid', description: 'The place it lies in (a district, a region)' })
  @IsOptional()
  @IsUUID('all')
  readonly parent?: string;
}

export class RegisterPlaceRequest extends PlaceFieldsRequest {
  @Names("Every name the place goes by, each with who uses it: none is 'the right one'")
  readonly names!: PlaceNameRequest[];
}

export class AddPlaceNamesRequest {
  @Names('More names; those the place already has (in the same language) are left out')
  readonly names!: PlaceNameRequest[];

  @ExpectedVersion()
  readonly expectedVersion?: number;
}

export class PlaceChangesRequest extends PartialType(PlaceFieldsRequest) {}

export class CorrectPlaceRequest {
  @ApiProperty({ type: PlaceChangesRequest, description: 'The fields that change (names are only ever added)' })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => PlaceChangesRequest)
  readonly changes!: PlaceChangesRequest;

  @Text(2000, 'Coordinates of the town centre, not of the airport.')
  readonly reason!: string;

  @ExpectedVersion()
  readonly expectedVersion?: number;
}

export class PlaceSearchQuery {
  @ApiPropertyOptional({
    example: 'Gandja',
    description: 'Any name or alias, in any script: accents, case and transliteration do not matter (Gəncə, Ganja, Gandja, Гянджа)',
  })
  @IsOptional()
  @MaxLength(200)
  @Matches(/\S/, { message: 'q must not be blank' })
  readonly q?: string;

  @PageLimit('At most this many places')
  readonly limit?: number;
}
