import { describe, expect, it } from '@jest/globals';
import canonicalize from 'canonicalize';
import { canonicalEventJson, chainHash, GENESIS_HASH, type HashedEventFields } from './hash-chain';

const first: HashedEventFields = {
  position: 1,
  eventId: '00000000-0000-4000-8000-000000000001',
  streamId: 'claim-x',
  streamVersion: 1,
  type: 'ClaimRecorded',
  schemaVersion: 1,
  data: { b: 1, a: 'é' },
  metadata: {},
  recordedAt: '2020-10-10T08:00:00.000Z',
};

const second: HashedEventFields = {
  position: 2,
  eventId: '00000000-0000-4000-8000-000000000002',
  streamId: 'claim-x',
  streamVersion: 2,
  type: 'ClaimCorrected',
  schemaVersion: 1,
  data: JSON.parse('{"n": [1.00e2, 1.50, 1E30, 0.0000001]}'),
  metadata: { actor: 't' },
  recordedAt: '2020-10-10T08:00:00.001Z',
};

describe('hash chain', () => {
  describe('canonical JSON (RFC 8785)', () => {
    it('matches the RFC 8785 §3.2.2 example', () => {
      const input = JSON.parse(
        '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],' +
          '"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}',
      );
      expect(canonicalize(input)).toBe(
        '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
          '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
      );
    });

    it('writes the hashed fields with sorted keys, as written out by hand', () => {
      expect(canonicalEventJson(first)).toBe(
        '{"data":{"a":"é","b":1},"eventId":"00000000-0000-4000-8000-000000000001","metadata":{},"position":1,' +
          '"recordedAt":"2020-10-10T08:00:00.000Z","schemaVersion":1,"streamId":"claim-x","streamVersion":1,"type":"ClaimRecorded"}',
      );
    });
  });

  describe('hashes', () => {
    it('chains from 32 zero bytes to pinned digests computed independently', () => {
      expect(GENESIS_HASH).toEqual(Buffer.alloc(32));
      const h1 = chainHash(GENESIS_HASH, first);
      expect(h1.toString('hex')).toBe('5c69020145b4fdc2d10822e610b63a87e9b5508619f3135e4eb012dedc6d079e');
      expect(chainHash(h1, second).toString('hex')).toBe('13b9aef324dc678328cf1169e416aaac8ec052660e0b1e788ade7c245efb516a');
    });

    it('does not depend on key order or on how a number is spelt', () => {
      const reordered = { ...first, data: JSON.parse('{"a":"\\u00e9","b":1.0}'), metadata: {} };
      expect(chainHash(GENESIS_HASH, reordered)).toEqual(chainHash(GENESIS_HASH, first));
      const respelt = { ...second, data: JSON.parse('{"n":[100, 15e-1, 1000000000000000000000000000000, 1e-7]}') };
      expect(chainHash(Buffer.alloc(32, 1), respelt)).toEqual(chainHash(Buffer.alloc(32, 1), second));
    });

    it('changes when any hashed field, or the previous hash, changes', () => {
      const base = chainHash(GENESIS_HASH, first).toString('hex');
      const variants: HashedEventFields[] = [
        { ...first, position: 2 },
        { ...first, eventId: '00000000-0000-4000-8000-000000000009' },
        { ...first, streamId: 'claim-y' },
        { ...first, streamVersion: 2 },
        { ...first, type: 'ClaimRetracted' },
        { ...first, schemaVersion: 2 },
        { ...first, data: { b: 1, a: 'e' } },
        { ...first, metadata: { actor: 'x' } },
        { ...first, recordedAt: '2020-10-10T08:00:00.001Z' },
      ];
      for (const variant of variants) expect(chainHash(GENESIS_HASH, variant).toString('hex')).not.toBe(base);
      expect(chainHash(Buffer.alloc(32, 1), first).toString('hex')).not.toBe(base);
    });
  });
});
