import { describe, expect, it } from '@jest/globals';
import { arrayLiteral } from './array-literal';

describe('array literals', () => {
  it('leaves uuids, instants, numbers and booleans bare, and writes NULL for null', () => {
    expect(arrayLiteral(['0b6b1c3e-8d7a-4a52-9c55-3f1f2f6c9e01', null, '2020-10-11T09:30:00+04:00', 3, true, false])).toBe(
      '{0b6b1c3e-8d7a-4a52-9c55-3f1f2f6c9e01,NULL,2020-10-11T09:30:00+04:00,3,t,f}',
    );
    expect(arrayLiteral([new Date('2020-10-11T05:30:00.123Z')])).toBe('{2020-10-11T05:30:00.123Z}');
    expect(arrayLiteral([])).toBe('{}');
  });

  it('quotes any other string, so that no value can split, end or nullify an element', () => {
    expect(arrayLiteral(['confidential source', 'a,b', '{x}', 'say "hi"', 'back\\slash', '', ' padded ', 'NULL', 'null', 'Ünïcode'])).toBe(
      '{"confidential source","a,b","{x}","say \\"hi\\"","back\\\\slash",""," padded ","NULL","null","Ünïcode"}',
    );
  });
});
