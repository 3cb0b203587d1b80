import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { Controller, Get, Headers, Inject, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/access.decorator';
import { appConfig, type AppConfig } from '../config/env';
import { NotFoundError } from '../shared/domain-error';

/**
 * Vite builds the web app (web/) into dist/web. Built, this module sits in dist/src/web-app;
 * Jest runs the sources as ES modules, which have no __dirname, from the repository root.
 */
export const WEB_DIR = typeof __dirname === 'string' ? join(__dirname, '..', '..', 'web') : join(process.cwd(), 'dist', 'web');

/**
 * The app runs only its own scripts and style sheets and talks only to this origin: API text
 * (claims carry free text) can never become markup or code, even if some got into the DOM.
 * Images may also come from the map's tile server (TILE_URL), and from no other.
 */
export function webAppCsp(tileUrl?: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "connect-src 'self'",
    `img-src 'self' data:${tileUrl ? ` ${tileOrigin(tileUrl)}` : ''}`,
    "font-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export const WEB_APP_CSP = webAppCsp();

/**
 * The origin of a Leaflet tile URL template, as a CSP source: `https://{s}.tile.example.org/…`
 * (Leaflet's subdomains) becomes `https://*.tile.example.org`.
 */
export function tileOrigin(tileUrl: string): string {
  const match = /^(https?):\/\/([^/?#]+)/.exec(tileUrl);
  if (!match) throw new Error(`TILE_URL has no origin: ${tileUrl}`);
  return `${match[1]}://${match[2]!.replace(/\{s\}/g, '*').toLowerCase()}`;
}

/**
 * The embeds (/embed/…, one chart for an iframe in a news article) are the only pages another
 * site may frame, and only the origins EMBED_ORIGINS names.
 */
export function embedCsp(embedOrigins: string, pageCsp = WEB_APP_CSP): string {
  const origins = embedOrigins.split(',').map((o) => o.trim()).filter(Boolean);
  return pageCsp.replace("frame-ancestors 'none'", `frame-ancestors ${origins.length ? origins.join(' ') : "'none'"}`);
}

const EMBED_PATHS = /^\/embed\//;

/** Paths that belong to the server: never answered with the app's index.html. */
const SERVER_PATHS = /^\/(api|docs|docs-json|docs-yaml|health|metrics)(\/|$|\?)/;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

interface File {
  body: Buffer;
  type: string;
  etag: string;
}

function load(path: string): File {
  const body = readFileSync(path);
  return { body, type: TYPES[extname(path)] ?? 'application/octet-stream', etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
}

/** Files read once at start: the hashed assets under /assets/, and index.html for every client route. */
function loadBuild(dir: string): { index: File | null; assets: Map<string, File> } {
  const assets = new Map<string, File>();
  const assetDir = join(dir, 'assets');
  if (existsSync(assetDir)) for (const name of readdirSync(assetDir)) assets.set(name, load(join(assetDir, name)));
  return { index: existsSync(join(dir, 'index.html')) ? load(join(dir, 'index.html')) : null, assets };
}

const NOT_BUILT = 'The web app is not built: run `npm run build` (npm start does it when dist/ is missing or stale).\n';

/** The newsroom web app (DESIGN §8): index.html for client routes, long-cached hashed assets. */
@ApiExcludeController()
@Public()
@Controller()
export class WebAppController {
  private readonly build = loadBuild(WEB_DIR);
  private readonly csp: string;
  private readonly embedCsp: string;

  constructor(@Inject(appConfig.KEY) config: AppConfig) {
    this.csp = webAppCsp(config.TILE_URL);
    this.embedCsp = embedCsp(config.EMBED_ORIGINS, this.csp);
  }

  @Get('assets/:name')
  asset(@Param('name') name: string, @Headers('if-none-match') ifNoneMatch: string | undefined, @Res() reply: FastifyReply) {
    const file = this.build.assets.get(name);
    if (!file) throw new NotFoundError('asset.not_found', `No asset ${name}`);
    // Names carry a hash of their content: a new build has new names, so they never change.
    return send(reply, file, 'public, max-age=31536000, immutable', ifNoneMatch);
  }

  @Get('*')
  page(@Req() request: FastifyRequest, @Headers('if-none-match') ifNoneMatch: string | undefined, @Res() reply: FastifyReply) {
    if (SERVER_PATHS.test(request.url)) throw new NotFoundError('route.not_found', `Cannot GET ${request.url.split('?')[0]}`);
    const index = this.build.index;
    if (!index) return reply.code(503).header('Content-Security-Policy', WEB_APP_CSP).type('text/plain; charset=utf-8').send(NOT_BUILT);
    if (EMBED_PATHS.test(request.url)) {
      // frame-ancestors decides who may frame it; helmet's X-Frame-Options: DENY would refuse every one.
      void reply.removeHeader('X-Frame-Options');
      return send(reply, index, 'no-cache', ifNoneMatch, this.embedCsp);
    }
    // Revalidated on every load, so a new build shows at once; unchanged, it answers 304.
    return send(reply, index, 'no-cache', ifNoneMatch, this.csp);
  }
}

function send(reply: FastifyReply, file: File, cacheControl: string, ifNoneMatch: string | undefined, csp = WEB_APP_CSP) {
  void reply
    .header('Content-Security-Policy', csp)
    .header('X-Content-Type-Options', 'nosniff')
    .header('Referrer-Policy', 'no-referrer')
    .header('Cache-Control', cacheControl)
    .header('ETag', file.etag);
  if (ifNoneMatch === file.etag) return reply.code(304).send();
  return reply.type(file.type).send(file.body);
}
