import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '../event-store/event-store.types';
import { chainHash, GENESIS_HASH } from '../event-store/hash-chain';
import { ChainBrokenError, MessageChain, messageHeaders, streamKind, subjectFor } from './log-message';

function chain(count: number): RecordedEvent[] {
  const events: RecordedEvent[] = [];
  let prev = GENESIS_HASH;
  for (let position = 1; position <= count; position++) {
    const fields = {
      position,
      eventId: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
      streamId: 'claim-6f1c1a52-9a58-4b0c-8a49-bd3a8a0b8f11',
      streamVersion: position,
      type: 'ClaimCorrected',
      schemaVersion: 1,
      data: { reason: `fix ${position}` },
      metadata: {},
      recordedAt: '2026-12-01T10:00:00.000Z',
    };
    const hash = chainHash(prev, fields);
    events.push({ ...fields, prevHash: prev.toString('hex'), hash: hash.toString('hex') });
    prev = hash;
  }
  return events;
}

const headersOf = (e: RecordedEvent) => {
  const h = new Map(messageHeaders(e));
  return { position: h.get('Ceasefire-Position'), hash: h.get('Ceasefire-Hash'), prevHash: h.get('Ceasefire-Prev-Hash') };
};

describe('log messages', () => {
  it('names subjects by conflict, stream kind and event type', () => {
    const event = { streamId: 'claim-6f1c1a52-9a58-4b0c-8a49-bd3a8a0b8f11', type: 'ClaimRecorded' };
    expect(subjectFor('ceasefire', event, 'c0a80101-0000-4000-8000-000000000001')).toBe('ceasefire.c0a80101-0000-4000-8000-000000000001.claim.ClaimRecorded');
    expect(subjectFor('ceasefire', { streamId: 'checkpoints', type: 'CheckpointSigned' }, null)).toBe('ceasefire._.checkpoints.CheckpointSigned');
    expect(streamKind('agreement-1')).toBe('agreement');
    expect(subjectFor('x', { streamId: 'a.b', type: 'T' }, 'c*d')).toBe('x.c_d.a_b.T');
  });

  it('verifies a run of messages and names the first that breaks it', () => {
    const events = chain(5);
    const ok = new MessageChain();
    for (const e of events) ok.accept(e, headersOf(e));
    expect(ok.head).toEqual({ position: 5, hash: events[4]!.hash });

    const fromThird = new MessageChain();
    for (const e of events.slice(2)) fromThird.accept(e, headersOf(e));
    expect(fromThird.head?.position).toBe(5);

    const skipping = new MessageChain();
    skipping.accept(events[0]!, headersOf(events[0]!));
    expect(() => skipping.accept(events[2]!, headersOf(events[2]!))).toThrow(new ChainBrokenError('position 3 where 2 was expected'));

    const altered = { ...events[1]!, data: { reason: 'rewritten' } };
    const tampered = new MessageChain();
    tampered.accept(events[0]!, headersOf(events[0]!));
    expect(() => tampered.accept(altered, headersOf(altered))).toThrow(/altered/);
  });
});
