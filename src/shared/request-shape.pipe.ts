import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { ValidationError } from './domain-error';

/** Deeper than any request the API defines; deeper bodies would only exhaust the validator's stack. */
export const MAX_BODY_DEPTH = 16;

// Keys that name members every object inherits: class-transformer and class-validator treat
// them as known properties, so the whitelist would drop them silently instead of refusing them.
const INHERITED_KEYS = new Set(Object.getOwnPropertyNames(Object.prototype).concat('prototype'));

/**
 * Runs before validation on request bodies: the body of a route that takes one must be a JSON
 * object, no deeper than MAX_BODY_DEPTH, without keys that shadow inherited members. Walks
 * iteratively, so no body can overflow the stack here.
 */
@Injectable()
export class RequestShapePipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body' || !metadata.metatype || metadata.metatype === Object) return value;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw invalid('body', 'must be a JSON object');
    }
    const pending: { node: unknown; path: string; depth: number }[] = [{ node: value, path: '', depth: 1 }];
    while (pending.length > 0) {
      const { node, path, depth } = pending.pop()!;
      if (node === null || typeof node !== 'object') continue;
      if (depth > MAX_BODY_DEPTH) throw invalid(path || 'body', `is nested more than ${MAX_BODY_DEPTH} levels deep`);
      for (const [key, child] of Object.entries(node)) {
        const childPath = Array.isArray(node) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
        if (!Array.isArray(node) && INHERITED_KEYS.has(key)) throw invalid(childPath, `property ${key} should not exist`);
        pending.push({ node: child, path: childPath, depth: depth + 1 });
      }
    }
    return value;
  }
}

function invalid(field: string, message: string): ValidationError {
  return new ValidationError('The request has invalid fields', [{ field, message }]);
}
