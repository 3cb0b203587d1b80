import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './processes';

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

/**
 * Whether the replica tests can run here: without the binaries they print why they are skipped,
 * unless REQUIRE_POSTGRES=1 (CI), which makes that a failure.
 */
export function replicaTestsRun(suite: string): boolean {
  const reason = clusterUnavailableReason();
  if (!reason) return true;
  if (process.env.REQUIRE_POSTGRES === '1') throw new Error(`REQUIRE_POSTGRES=1 but ${suite} cannot run: ${reason}`);
  console.log(`Skipped — ${suite}: ${reason}.`);
  return false;
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
