import { clusterUnavailableReason } from '../../bench/local-engines';

export { type PostgresCluster, startPrimaryAndReplica } from '../../bench/local-engines';

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

