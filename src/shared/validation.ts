import { applyDecorators } from '@nestjs/common';
import { ApiProperty, type ApiPropertyOptions, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  registerDecorator,
  type ValidationOptions,
} from 'class-validator';
import { INSTANT_PATTERN, isInstant, isLocalDate, isOccurredBound, isStorableText } from './text';

export { isInstant, isStorableText };

const ZONE_NAME = /^[A-Z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

export function isIanaTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || !ZONE_NAME.test(value)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

function rule(name: string, test: (value: unknown) => boolean, message: string, options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: `${String(propertyName)} ${message}`, ...options },
      validator: { validate: test },
    });
}

/** An instant: ISO 8601 date and time with an offset (Z or ±hh:mm). */
export const IsInstant = (options?: ValidationOptions) =>
  rule('isInstant', isInstant, 'must be an ISO 8601 date and time with an offset, such as 2020-10-10T12:00:00+04:00', options);

/** When something allegedly happened: an instant, or a plain date (or month) for coarse precisions. */
export const IsOccurredBound = (options?: ValidationOptions) =>
  rule('isOccurredBound', isOccurredBound, 'must be an ISO 8601 date and time with an offset, such as 2020-10-11T02:00:00+04:00, or a date such as 2020-10-11', options);

/** A calendar date that exists: YYYY-MM-DD. */
export const IsLocalDate = (options?: ValidationOptions) => rule('isLocalDate', isLocalDate, 'must be a date that exists, YYYY-MM-DD', options);

/** An IANA time zone name, such as Asia/Baku. */
export const IsIanaTimeZone = (options?: ValidationOptions) =>
  rule('isIanaTimeZone', isIanaTimeZone, 'must be an IANA time zone name, such as Asia/Baku', options);

const StorableText = (options?: ValidationOptions) =>
  rule('isStorableText', (v) => v === undefined || isStorableText(v), 'must not contain NUL characters or unpaired surrogates', options);

/** A required, non-empty string of at most `max` characters. */
export const Text = (max: number, example?: string, description?: string) =>
  applyDecorators(ApiProperty({ minLength: 1, maxLength: max, example, description }), IsString(), MinLength(1), MaxLength(max), StorableText());

/** An optional string of at most `max` characters. */
export const OptionalText = (max: number, example?: string, description?: string) =>
  applyDecorators(ApiPropertyOptional({ maxLength: max, example, description }), IsOptional(), IsString(), MaxLength(max), StorableText());

/** How the document describes an instant: RFC 3339 with an offset, as `isInstant` accepts it. */
export const INSTANT_SCHEMA = {
  type: 'string',
  format: 'date-time',
  pattern: INSTANT_PATTERN.source,
} as const;

const instantDoc = (example: string, description?: string): ApiPropertyOptions => ({
  ...INSTANT_SCHEMA,
  example,
  description: [description, 'ISO 8601 with an offset (Z or ±hh:mm); seconds and fractions are optional.'].filter(Boolean).join('. '),
});

/** A required instant. */
export const Instant = (example: string, description?: string) => applyDecorators(ApiProperty(instantDoc(example, description)), IsInstant());

/** An optional instant. */
export const OptionalInstant = (example: string, description?: string) =>
  applyDecorators(ApiPropertyOptional(instantDoc(example, description)), IsOptional(), IsInstant());

/** An integer in [min, max], documented as such; the type is checked first, so "3" is told it must be an integer. */
export const Integer = (min: number, max: number, doc: { description?: string; example?: number } = {}) =>
  applyDecorators(ApiProperty({ ...doc, type: 'integer', minimum: min, maximum: max }), IsInt(), Min(min), Max(max));

/** A query's page size, 1 to 200 (default 50), read from the query string's text. */
export const PageLimit = (description?: string) =>
  applyDecorators(
    ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 50, ...(description ? { description } : {}) }),
    IsOptional(),
    Transform(toInteger),
    IsInt({ message: 'limit must be an integer' }),
    Min(1),
    Max(200),
  );

/** The stream version the client last saw (DESIGN §6); stale → 409. */
export const ExpectedVersion = () =>
  applyDecorators(
    ApiPropertyOptional({
      type: 'integer',
      minimum: 0,
      maximum: 2_147_483_647,
      description: 'The version the client last saw (the `version` of a read, or `streamVersion` of the last write); a stale one gets 409. Same as the If-Match header.',
    }),
    IsOptional(),
    IsInt(),
    Min(0),
    Max(2_147_483_647),
  );

/** An optional list of at most `maxItems` non-empty strings of at most `maxLength` characters. */
export const OptionalTextList = (maxItems: number, maxLength: number) =>
  applyDecorators(
    ApiPropertyOptional({ type: [String] }),
    IsOptional(),
    IsArray(),
    ArrayMaxSize(maxItems),
    IsString({ each: true }),
    MinLength(1, { each: true }),
    MaxLength(maxLength, { each: true }),
    StorableText({ each: true }),
  );

/** Query-string integers: digits become a number, anything else stays as sent for the validator to refuse. */
export const toInteger = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value;
