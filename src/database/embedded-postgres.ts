import { existsSync, mkdirSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** A running embedded PostgreSQL (PGlite) that the ordinary `pg` driver reaches over a socket. */
export interface EmbeddedPostgres {
  /** A postgres:// URL for `pg` / TypeORM. */
  readonly url: string;
  /** Where the data lives, or 'memory' for a throw-away database. */
  readonly dataDir: string;
  /** True when this start created the database (an empty DATA_DIR, or memory). */
  readonly created: boolean;
  stop(): Promise<void>;
}

// The app itself uses one connection; the rest serve other pools pointed at the socket (tests).
const MAX_CONNECTIONS = 32;

// Unix socket paths are limited to ~107 bytes; deeper data directories fall back to loopback TCP.
const MAX_SOCKET_PATH = 100;

/**
 * Starts PGlite on `dataDir` (created if missing; `memory://` for an in-memory database) and
 * serves it on a Unix socket inside that directory, or on a free loopback port.
 *
 * Every socket connection shares PGlite's single backend session, so callers should use a pool of
 * one connection: a second connection would wait behind any open transaction anyway.
 */
export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  const inMemory = dataDir === 'memory://';
  const dir = inMemory ? 'memory' : resolve(dataDir);
  let releaseLock = () => {};
  let db: PGlite;
  const created = inMemory || !existsSync(join(dir, 'pgdata', 'PG_VERSION'));
  if (inMemory) {
    db = await PGlite.create({ extensions: { unaccent } });
  } else {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    releaseLock = lockDataDir(dir);
    try {
      db = await PGlite.create(join(dir, 'pgdata'), { extensions: { unaccent } });
    } catch (error) {
      releaseLock();
      throw error;
    }
  }

  const socketPath = inMemory ? undefined : join(dir, '.s.PGSQL.5432');
  const useSocket = socketPath !== undefined && socketPath.length <= MAX_SOCKET_PATH;
  if (useSocket) rmSync(socketPath, { force: true }); // a stale socket left by a crash
  const server = new PGLiteSocketServer(
    useSocket ? { db, path: socketPath, maxConnections: MAX_CONNECTIONS } : { db, host: '127.0.0.1', port: 0, maxConnections: MAX_CONNECTIONS },
  );
  await server.start();
  const url = useSocket
    ? `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(dir)}`
    : `postgresql://postgres@${server.getServerConn()}/postgres`;

  let stopped = false;
  return {
    url,
    dataDir: dir,
    created,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      await db.close();
      releaseLock();
    },
  };
}

const heldDataDirs = new Set<string>();

/**
 * Two processes opening one PGlite directory would corrupt it; a pid file keeps the second out.
 * A file naming our own pid is stale (a container restarted with the same pid) unless this
 * process really holds the directory.
 */
function lockDataDir(dir: string): () => void {
  if (heldDataDirs.has(dir)) throw new Error(`DATA_DIR ${dir} is already open in this process`);
  const lockFile = join(dir, 'embedded-postgres.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx', 0o600);
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      heldDataDirs.add(dir);
      return () => {
        heldDataDirs.delete(dir);
        rmSync(lockFile, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(lockFile, 'utf8'));
      if (holder && holder !== process.pid && isAlive(holder)) {
        throw new Error(`DATA_DIR ${dir} is in use by process ${holder}; stop it or choose another DATA_DIR`, { cause: error });
      }
      rmSync(lockFile, { force: true }); // left behind by a process that no longer runs
    }
  }
  throw new Error(`Could not lock DATA_DIR ${dir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
