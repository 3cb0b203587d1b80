import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/access.decorator';

/**
 * Built, the page's files sit beside this module (nest-cli.json copies them to dist). Jest runs
 * the sources as ES modules, which have no __dirname, from the repository root.
 */
export const PAGE_DIR = typeof __dirname === 'string' ? join(__dirname, 'page') : join(process.cwd(), 'src', 'dashboard', 'page');

/**
 * The page runs only its own script and style sheet and talks only to this origin: API text
 * (claims carry free text) can never become markup or code, even if some got into the DOM.
 */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES = {
  'index.html': 'text/html; charset=utf-8',
  'dashboard.js': 'text/javascript; charset=utf-8',
  'dashboard.css': 'text/css; charset=utf-8',
} as const;
type PageFile = keyof typeof TYPES;

/** GET /: the dashboard page (DESIGN §8), three static files read once at start. */
@ApiExcludeController()
@Public()
@Controller()
export class DashboardPageController {
  private readonly files = new Map(
    (Object.keys(TYPES) as PageFile[]).map((name) => {
      const body = readFileSync(join(PAGE_DIR, name));
      return [name, { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` }] as const;
    }),
  );

  @Get()
  page(@Headers('if-none-match') ifNoneMatch: string | undefined, @Res() reply: FastifyReply) {
    return this.send(reply, 'index.html', ifNoneMatch);
  }

  @Get('page/dashboard.js')
  script(@Headers('if-none-match') ifNoneMatch: string | undefined, @Res() reply: FastifyReply) {
    return this.send(reply, 'dashboard.js', ifNoneMatch);
  }

  @Get('page/dashboard.css')
  styles(@Headers('if-none-match') ifNoneMatch: string | undefined, @Res() reply: FastifyReply) {
    return this.send(reply, 'dashboard.css', ifNoneMatch);
  }

  private send(reply: FastifyReply, name: PageFile, ifNoneMatch: string | undefined) {
    const file = this.files.get(name)!;
    void reply
      .header('Content-Security-Policy', PAGE_CSP)
      .header('X-Content-Type-Options', 'nosniff')
      .header('Referrer-Policy', 'no-referrer')
      // Revalidated on every load, so a new version shows at once; unchanged files answer 304.
      .header('Cache-Control', 'no-cache')
      .header('ETag', file.etag);
    if (ifNoneMatch === file.etag) return reply.code(304).send();
    return reply.type(TYPES[name]).send(file.body);
  }
}
