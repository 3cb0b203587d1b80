import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Role } from '../auth/roles';
import type { Attribution, SealedIdentity } from '../claims/domain/attribution';
import { ValidationError } from '../shared/domain-error';

/** An attribution as a client sends it. */
export interface AttributionInput {
  outlet: string;
  speaker?: string;
  url?: string;
  publishedAt?: string;
  quote?: string;
  language?: string;
  reliability: Attribution['reliability'];
  credibility: number;
  confidential?: boolean;
  protectedIdentity?: string;
}

/** Attributions ready for an event, and the keys to store in the same transaction. */
export interface SealedAttributions {
  attributions: Attribution[];
  keys: { attributionId: string; key: Buffer }[];
}

/** What readers below editor see of a confidential source: its grades, nothing that could name it. */
export interface MaskedAttribution {
  attributionId: string;
  confidential: true;
  source: 'confidential source';
  reliability: Attribution['reliability'];
  credibility: number;
  publishedAt?: string;
}

export type AttributionView = (Omit<Attribution, 'protectedIdentity'> & { protectedIdentity?: string | null }) | MaskedAttribution;

const SEES_CONFIDENTIAL: readonly Role[] = ['editor', 'admin'];

/** How a confidential source is named wherever its identity is not shown. */
export const CONFIDENTIAL_SOURCE = 'confidential source';

/** What a confidential attribution keeps only encrypted. */
type SealedFields = Pick<AttributionInput, 'outlet' | 'speaker' | 'url' | 'quote' | 'language' | 'protectedIdentity'>;

/**
 * Source protection: a confidential source's identity never enters the log in clear. It is
 * sealed with AES-256-GCM under a key of its own, kept in `source_keys` beside the log, so
 * destroying that key makes the identity unrecoverable while the log stays intact.
 */
@Injectable()
export class SourceProtection {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Gives each attribution its id and seals every identifying field of a confidential one —
   * outlet, speaker, url, quote, language and the protected identity — under a key of its own:
   * only its id, grades and publication time stay in clear in the log. `field` names the list in
   * errors (`attributions` → `attributions[0].protectedIdentity`), or each item by its index.
   */
  seal(inputs: AttributionInput[] | undefined, field: string | ((index: number) => string)): SealedAttributions {
    const pathOf = typeof field === 'string' ? (index: number) => `${field}[${index}]` : field;
    const sealed: SealedAttributions = { attributions: [], keys: [] };
    (inputs ?? []).forEach((input, index) => {
      const { protectedIdentity, confidential = false, outlet, speaker, url, quote, language, reliability, credibility, publishedAt } = input;
      const attributionId = randomUUID();
      if (protectedIdentity !== undefined && !confidential) {
        throw new ValidationError('A protected identity is only kept for a confidential source', [
          { field: `${pathOf(index)}.protectedIdentity`, message: 'requires confidential: true' },
        ]);
      }
      let attribution: Attribution;
      if (confidential) {
        const key = randomBytes(32);
        const identity: SealedFields = { outlet, speaker, url, quote, language, protectedIdentity };
        attribution = {
          attributionId,
          outlet: CONFIDENTIAL_SOURCE,
          reliability,
          credibility,
          publishedAt,
          confidential: true,
          protectedIdentity: encrypt(JSON.stringify(identity), key, attributionId),
        };
        sealed.keys.push({ attributionId, key });
      } else {
        attribution = { attributionId, outlet, speaker, url, quote, language, reliability, credibility, publishedAt, confidential: false };
      }
      sealed.attributions.push(JSON.parse(JSON.stringify(attribution)));
    });
    return sealed;
  }

  /** Stores the keys of sealed identities; call inside the transaction that appends their events. */
  async storeKeys(tx: EntityManager, keys: SealedAttributions['keys'], at: string): Promise<void> {
    for (const { attributionId, key } of keys) {
      await tx.query('INSERT INTO source_keys (attribution_id, key, created_at) VALUES ($1, $2, $3)', [attributionId, key, at]);
    }
  }

  /**
   * Destroys the key of a sealed identity, inside the transaction that records the shredding:
   * the ciphertext stays in the log, verifiable, and unreadable by anyone.
   */
  async destroyKey(tx: EntityManager, attributionId: string, at: string): Promise<void> {
    await tx.query('UPDATE source_keys SET key = NULL, shredded_at = $2 WHERE attribution_id = $1 AND key IS NOT NULL', [attributionId, at]);
  }

  /** Attributions as `role` may see them: editors read protected identities, others see grades only. */
  async reveal(attributions: Attribution[], role: Role | null): Promise<AttributionView[]> {
    const seesConfidential = role !== null && SEES_CONFIDENTIAL.includes(role);
    if (!seesConfidential) {
      return attributions.map(({ protectedIdentity: _, ...a }) => (a.confidential ? mask(a) : a));
    }
    const sealedIds = attributions.filter((a) => a.protectedIdentity).map((a) => a.attributionId);
    const keys = new Map<string, Buffer | null>();
    if (sealedIds.length > 0) {
      const rows: { attribution_id: string; key: Buffer | null }[] = await this.dataSource.query(
        'SELECT attribution_id, key FROM source_keys WHERE attribution_id = ANY($1::uuid[])',
        [sealedIds],
      );
      for (const row of rows) keys.set(row.attribution_id, row.key);
    }
    return attributions.map(({ protectedIdentity, ...a }) => {
      if (!protectedIdentity) return a;
      const key = keys.get(a.attributionId);
      // A destroyed key leaves the source unrecoverable by design: only its grades remain.
      if (!key) return { ...a, protectedIdentity: null };
      const identity = JSON.parse(decrypt(protectedIdentity, key, a.attributionId)) as SealedFields;
      return { ...a, ...identity, protectedIdentity: identity.protectedIdentity ?? null };
    });
  }
}

function mask(a: Omit<Attribution, 'protectedIdentity'>): MaskedAttribution {
  return {
    attributionId: a.attributionId,
    confidential: true,
    source: CONFIDENTIAL_SOURCE,
    reliability: a.reliability,
    credibility: a.credibility,
    ...(a.publishedAt ? { publishedAt: a.publishedAt } : {}),
  };
}

function encrypt(plain: string, key: Buffer, attributionId: string): SealedIdentity {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(attributionId));
  const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return { alg: 'AES-256-GCM', iv: iv.toString('base64'), ciphertext: ciphertext.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
}

function decrypt(sealed: SealedIdentity, key: Buffer, attributionId: string): string {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64')).setAAD(Buffer.from(attributionId));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]).toString('utf8');
}
