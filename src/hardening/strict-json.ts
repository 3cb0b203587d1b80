import { errorCodes, type FastifyInstance } from 'fastify';
import secureJsonParse from 'secure-json-parse';
import { ValidationError } from '../shared/domain-error';
import { BODY_LIMIT_BYTES } from '../shared/limits';

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * The only JSON body parser: the bytes must be valid UTF-8 (a stray byte is refused, not
 * replaced with U+FFFD, so the log holds only what was sent), and no string or key may hold NUL
 * or an unpaired surrogate (PostgreSQL cannot store them, and a hash over them would certify
 * text that is not what was sent). Empty and malformed bodies fail as with Fastify's own parser.
 */
export function useStrictJsonParser(fastify: FastifyInstance): void {
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: BODY_LIMIT_BYTES }, (_request, body, done) => {
    const bytes = body as Buffer;
    if (bytes.length === 0) return done(new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY(), undefined);
    let text: string;
    try {
      text = UTF8.decode(bytes);
    } catch {
      const at = firstInvalidUtf8(bytes);
      return done(
        new ValidationError(`The body is not valid UTF-8 (byte ${at}); nothing was recorded`, [{ field: 'body', message: `holds bytes that are not UTF-8 at offset ${at}` }], 'request.invalid_utf8'),
        undefined,
      );
    }
    let value: unknown;
    try {
      value = secureJsonParse.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
    } catch {
      return done(new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY(), undefined);
    }
    const bad = firstUnstorableText(value);
    if (bad) {
      return done(new ValidationError(`${bad.field} ${bad.message}`, [bad], 'request.invalid_text'), undefined);
    }
    done(null, value);
  });
}

/** The offset of the first byte where UTF-8 decoding fails. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    try {
      UTF8.decode(bytes.subarray(i, i + length));
    } catch {
      return i;
    }
    i += length;
  }
  return i;
}

/** The first string or key holding NUL or an unpaired surrogate, named as the validation errors name fields. */
export function firstUnstorableText(root: unknown): { field: string; message: string } | null {
  const pending: { node: unknown; path: string }[] = [{ node: root, path: '' }];
  while (pending.length > 0) {
    const { node, path } = pending.pop()!;
    if (typeof node === 'string') {
      const problem = textProblem(node);
      if (problem) return { field: path || 'body', message: problem };
      continue;
    }
    if (node === null || typeof node !== 'object') continue;
    const isArray = Array.isArray(node);
    for (const [key, child] of Object.entries(node)) {
      const childPath = isArray ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      if (!isArray) {
        const problem = textProblem(key);
        if (problem) return { field: path || 'body', message: `has a key that ${problem.replace(/^must not hold/, 'holds')}` };
      }
      pending.push({ node: child, path: childPath });
    }
  }
  return null;
}

function textProblem(text: string): string | null {
  if (text.includes('\u0000')) return 'must not hold the NUL character (\\u0000)';
  if (!text.isWellFormed()) return 'must not hold an unpaired surrogate (a lone \\ud800–\\udfff escape)';
  return null;
}
