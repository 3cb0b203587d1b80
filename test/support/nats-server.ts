import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './processes';

const CANDIDATES = ['/usr/sbin/nats-server', '/usr/local/bin/nats-server', '/usr/bin/nats-server'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The installed nats-server binary, or null. */
export function natsServerBinary(): string | null {
  return CANDIDATES.find((path) => existsSync(path)) ?? null;
}

/**
 * Whether the NATS tests can run here: without a nats-server binary they print why they are
 * skipped, unless REQUIRE_NATS=1 (CI), which makes that a failure.
 */
export function natsTestsRun(suite: string): boolean {
  if (natsServerBinary()) return true;
  const reason = `${suite}: no nats-server binary (looked in ${CANDIDATES.join(', ')}); install NATS to run these tests`;
  if (process.env.REQUIRE_NATS === '1') throw new Error(`REQUIRE_NATS=1 but ${reason}`);
  console.log(`Skipped — ${reason}.`);
  return false;
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
