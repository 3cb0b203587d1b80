import { natsServerBinary, NATS_SERVER_CANDIDATES } from '../../bench/local-engines';

export { type NatsServer, startNatsServer } from '../../bench/local-engines';

/**
 * Whether the NATS tests can run here: without a nats-server binary they print why they are
 * skipped, unless REQUIRE_NATS=1 (CI), which makes that a failure.
 */
export function natsTestsRun(suite: string): boolean {
  if (natsServerBinary()) return true;
  const reason = `${suite}: no nats-server binary (looked in ${NATS_SERVER_CANDIDATES.join(', ')}); install NATS to run these tests`;
  if (process.env.REQUIRE_NATS === '1') throw new Error(`REQUIRE_NATS=1 but ${reason}`);
  console.log(`Skipped — ${reason}.`);
  return false;
}

