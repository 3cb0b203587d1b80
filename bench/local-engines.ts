/**
 * PostgreSQL (a primary and a streaming replica) and NATS JetStream of a run's own, in temporary
 * folders on free ports, from the binaries installed on the machine: used by the tests and by
 * `npm run bench:scale`, never touching the machine's own servers.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { connect as tcpConnect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A free TCP port on 127.0.0.1 (free now; the caller binds it soon after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The directory holding initdb, pg_ctl and pg_basebackup: the newest /usr/lib/postgresql/N/bin, else /usr/local/bin. */
function binDirectory(): string | null {
  const versions = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  const candidates = [...versions.map((v) => `/usr/lib/postgresql/${v}/bin`), '/usr/local/bin'];
  return candidates.find((dir) => ['initdb', 'pg_ctl', 'pg_basebackup'].every((tool) => existsSync(join(dir, tool)))) ?? null;
}

const isRoot = () => process.getuid?.() === 0;

/** Why a primary and replica cannot be made here, or null when they can. */
export function clusterUnavailableReason(): string | null {
  if (!binDirectory()) return 'no PostgreSQL binaries (initdb, pg_ctl, pg_basebackup) in /usr/lib/postgresql/*/bin or /usr/local/bin';
  if (isRoot()) {
    try {
      execFileSync('id', ['postgres'], { stdio: 'ignore' });
    } catch {
      return 'running as root without a postgres user to run initdb as (initdb refuses root)';
    }
  }
  return null;
}

/** A primary and one streaming replica of the test's own, in a temporary folder, on free ports. */
export interface PostgresCluster {
  primaryUrl: string;
  replicaUrl: string;
  stopReplica(): void;
  startReplica(): void;
  destroy(): void;
}

export async function startPrimaryAndReplica(): Promise<PostgresCluster> {
  const bin = binDirectory()!;
  const base = mkdtempSync(join(tmpdir(), 'ceasefire-pg-'));
  const primaryDir = join(base, 'primary');
  const replicaDir = join(base, 'replica');
  const [primaryPort, replicaPort] = [await freePort(), await freePort()];
  if (isRoot()) chownSync(base, Number(execFileSync('id', ['-u', 'postgres']).toString()), Number(execFileSync('id', ['-g', 'postgres']).toString()));
  // initdb refuses root: the server's tools run as the postgres user.
  const run = (tool: string, args: string[]) =>
    execFileSync(isRoot() ? 'runuser' : join(bin, tool), isRoot() ? ['-u', 'postgres', '--', join(bin, tool), ...args] : args, { stdio: 'pipe', cwd: base });
  const options = (port: number) => `-p ${port} -c listen_addresses=127.0.0.1 -k ${base} -c fsync=off -c full_page_writes=off`;
  run('initdb', ['-D', primaryDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  run('pg_ctl', ['-D', primaryDir, '-o', options(primaryPort), '-l', join(base, 'primary.log'), '-w', 'start']);
  const stopAll = () => {
    for (const dir of [replicaDir, primaryDir]) if (existsSync(join(dir, 'postmaster.pid'))) run('pg_ctl', ['-D', dir, '-m', 'immediate', '-w', 'stop']);
  };
  try {
    run('pg_basebackup', ['-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'postgres', '-D', replicaDir, '-R', '-X', 'stream']);
    const startReplica = () => run('pg_ctl', ['-D', replicaDir, '-o', options(replicaPort), '-l', join(base, 'replica.log'), '-w', 'start']);
    startReplica();
    return {
      primaryUrl: `postgresql://postgres@127.0.0.1:${primaryPort}/postgres`,
      replicaUrl: `postgresql://postgres@127.0.0.1:${replicaPort}/postgres`,
      stopReplica: () => void run('pg_ctl', ['-D', replicaDir, '-m', 'fast', '-w', 'stop']),
      startReplica: () => void startReplica(),
      destroy() {
        stopAll();
        rmSync(base, { recursive: true, force: true });
      },
    };
  } catch (error) {
    stopAll();
    rmSync(base, { recursive: true, force: true });
    throw error;
  }
}

export const NATS_SERVER_CANDIDATES = ['/usr/sbin/nats-server', '/usr/local/bin/nats-server', '/usr/bin/nats-server'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The installed nats-server binary, or null. */
export function natsServerBinary(): string | null {
  return NATS_SERVER_CANDIDATES.find((path) => existsSync(path)) ?? null;
}

/** A nats-server with JetStream of the test's own, on a free port with its store in a temporary folder. */
export interface NatsServer {
  url: string;
  stop(): Promise<void>;
  /** Starts it again on the same port and store (after stop). */
  start(): Promise<void>;
  /** Stops it and removes its store. */
  destroy(): Promise<void>;
}

export async function startNatsServer(): Promise<NatsServer> {
  const binary = natsServerBinary();
  if (!binary) throw new Error('no nats-server binary');
  const port = await freePort();
  const store = mkdtempSync(join(tmpdir(), 'ceasefire-nats-'));
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  const start = async () => {
    child = spawn(binary, ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', store], { stdio: 'ignore' });
    exited = new Promise((resolve) => child!.on('exit', () => resolve()));
    for (let i = 0; i < 200; i++) {
      if (await answers(port)) return;
      await sleep(50);
    }
    throw new Error(`nats-server did not start on port ${port}`);
  };
  const stop = async () => {
    child?.kill('SIGTERM');
    await exited;
    child = null;
  };
  await start();
  return {
    url: `nats://127.0.0.1:${port}`,
    start,
    stop,
    async destroy() {
      await stop();
      rmSync(store, { recursive: true, force: true });
    },
  };
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
