import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { appConfig, type AppConfig } from '../config/env';
import { EventStore } from '../event-store/event-store.service';
import { RuleViolation } from '../shared/decider';
import { loggableError } from '../shared/log-safe';
import { nameBasedUuid } from '../event-store/name-based-uuid';
import { checkpointMessage, type SignedCheckpoint } from './checkpoint';

export const CHECKPOINT_STREAM = 'checkpoints';

/** Whether this process signs checkpoints on its own every CHECKPOINT_EVERY events (the server). */
export const PERIODIC_CHECKPOINTS = Symbol('PERIODIC_CHECKPOINTS');

/**
 * Signed checkpoints: the head position and hash, signed with an Ed25519 key and recorded as a
 * `CheckpointSigned` event, every CHECKPOINT_EVERY events and on demand. Anyone holding a
 * checkpoint and the public key can check an exported log against it, without our database.
 * The private key lives in DATA_DIR/signing-key.pem (created on first use).
 */
@Injectable()
export class CheckpointSigner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Checkpoints');
  private privateKey!: KeyObject;
  private publicKeyPem!: string;
  private keyId!: string;
  private unsubscribe: (() => void) | null = null;
  private signing: Promise<unknown> = Promise.resolve();
  /** The position the latest known checkpoint signed; null until looked up. */
  private lastSigned: number | null = null;

  constructor(
    private readonly store: EventStore,
    private readonly dataSource: DataSource,
    @Inject(appConfig.KEY) private readonly config: AppConfig,
    @Inject(PERIODIC_CHECKPOINTS) private readonly periodic: boolean,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.privateKey = loadOrCreateKey(this.config.DATA_DIR);
    this.publicKeyPem = createPublicKey(this.privateKey).export({ type: 'spki', format: 'pem' }).toString();
    this.keyId = createHash('sha256').update(this.publicKeyPem).digest('hex').slice(0, 16);
    await this.dataSource.query('INSERT INTO signing_keys (key_id, public_key) VALUES ($1, $2) ON CONFLICT (key_id) DO NOTHING', [
      this.keyId,
      this.publicKeyPem,
    ]);
    if (this.periodic && this.config.CHECKPOINT_EVERY > 0) {
      this.unsubscribe = this.store.onAppended((position) => void this.maybeSign(position));
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.unsubscribe?.();
    await this.signing.catch(() => undefined);
  }

  /** The public keys that signed checkpoints here, the current one first. */
  async publicKeys(): Promise<{ current: string; keys: { keyId: string; algorithm: 'Ed25519'; publicKey: string; createdAt: string }[] }> {
    const rows: { key_id: string; public_key: string; created_at: Date }[] = await this.dataSource.query(
      'SELECT key_id, public_key, created_at FROM signing_keys ORDER BY key_id = $1 DESC, created_at DESC',
      [this.keyId],
    );
    return {
      current: this.keyId,
      keys: rows.map((r) => ({ keyId: r.key_id, algorithm: 'Ed25519', publicKey: r.public_key, createdAt: r.created_at.toISOString() })),
    };
  }

  /** Signs the head as it is now and records the checkpoint in the log. */
  async signHead(): Promise<SignedCheckpoint> {
    const head = await this.store.head();
    if (head.hash === null) throw new RuleViolation('checkpoint.empty_log', 'The log is empty: there is nothing to sign yet');
    const checkpoint: SignedCheckpoint = {
      position: head.position,
      hash: head.hash,
      keyId: this.keyId,
      signature: sign(null, Buffer.from(checkpointMessage(head.position, head.hash)), this.privateKey).toString('base64'),
    };
    // One checkpoint per key and position, however many instances race to sign it.
    const eventId = nameBasedUuid(`checkpoint:${this.keyId}:${head.position}`);
    await this.store.append(CHECKPOINT_STREAM, 'any', [{ eventId, type: 'CheckpointSigned', data: { ...checkpoint } }], {
      actor: { tokenId: 'checkpoint-signer', name: 'checkpoint signer' },
    });
    return checkpoint;
  }

  /** The recorded checkpoints, newest first. */
  async list(limit = 100): Promise<(SignedCheckpoint & { recordedAt: string; recordedPosition: number })[]> {
    const rows: { data: SignedCheckpoint; recorded_at: Date; position: string }[] = await this.dataSource.query(
      `SELECT data, recorded_at, position FROM events WHERE stream_id = $1 ORDER BY position DESC LIMIT $2`,
      [CHECKPOINT_STREAM, limit],
    );
    return rows.map((r) => ({ ...r.data, recordedAt: r.recorded_at.toISOString(), recordedPosition: Number(r.position) }));
  }

  private maybeSign(position: number): void {
    this.signing = this.signing
      .then(async () => {
        // The checkpoint's own event counts too, so the next one comes CHECKPOINT_EVERY events later.
        if (this.lastSigned !== null && position - this.lastSigned < this.config.CHECKPOINT_EVERY) return;
        const [last] = await this.dataSource.query(
          `SELECT (data->>'position')::bigint AS position FROM events WHERE stream_id = $1 ORDER BY stream_version DESC LIMIT 1`,
          [CHECKPOINT_STREAM],
        );
        // Another instance may have signed meanwhile.
        this.lastSigned = Number(last?.position ?? 0);
        if (position - this.lastSigned >= this.config.CHECKPOINT_EVERY) this.lastSigned = (await this.signHead()).position;
      })
      .catch((error: unknown) => this.logger.error({ err: loggableError(error) }, 'Could not sign a checkpoint'));
  }
}

/**
 * The signing key, created on first use. A new key is written whole to a file of its own, synced,
 * then linked into place: a process killed while writing leaves no half-written key that would
 * stop every later start, and of two processes creating one at once, the first link wins and
 * the other reads that key.
 */
function loadOrCreateKey(dataDir: string): KeyObject {
  if (dataDir === 'memory://') return generateKeyPairSync('ed25519').privateKey;
  const file = join(resolve(dataDir), 'signing-key.pem');
  if (existsSync(file)) return createPrivateKey(readFileSync(file));
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('ed25519');
  const draft = `${file}.${process.pid}.${Date.now()}.tmp`;
  const fd = openSync(draft, 'wx', 0o600);
  try {
    writeSync(fd, String(privateKey.export({ type: 'pkcs8', format: 'pem' })));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(draft, { force: true });
  }
  return createPrivateKey(readFileSync(file));
}
