import { describe, expect, it } from '@jest/globals';
import { ValidationError } from '../../shared/domain-error';
import { resolveOccurred } from './occurred';

describe('resolveOccurred', () => {
  it('leaves instants as they were sent', () => {
    const occurred = { from: '2020-10-11T02:00:00+04:00', to: '2020-10-11T04:00Z', precision: 'hour' as const };
    expect(resolveOccurred(occurred, 'Asia/Baku')).toBe(occurred);
  });

  it("reads a plain date in the conflict's zone, with the offset that zone had on that day", () => {
    // Europe/London: GMT in winter, BST (+01:00) in summer; 25 October 2020 was the day the clocks went back.
    expect(resolveOccurred({ from: '2020-10-25', to: '2020-10-25', precision: 'day' }, 'Europe/London')).toEqual({
      from: '2020-10-25T00:00:00.000+01:00',
      to: '2020-10-25T23:59:59.999+00:00',
      precision: 'day',
      raw: '2020-10-25/2020-10-25',
    });
  });

  it('reads a month as its first and last days, leap years included', () => {
    expect(resolveOccurred({ from: '2020-02', to: '2020-02', precision: 'month', raw: 'in February' }, 'Asia/Yerevan')).toEqual({
      from: '2020-02-01T00:00:00.000+04:00',
      to: '2020-02-29T23:59:59.999+04:00',
      precision: 'month',
      raw: 'in February',
    });
  });

  it.each([
    ['a date at hour precision', { from: '2020-10-11', precision: 'hour' as const }, 'occurred.from'],
    ['a month at day precision', { from: '2020-10', precision: 'day' as const }, 'occurred.from'],
    ['a date as the end at part-of-day precision', { from: '2020-10-11T02:00:00+04:00', to: '2020-10-11', precision: 'part-of-day' as const }, 'occurred.to'],
  ])('refuses %s, naming the field', (_, occurred, field) => {
    const error = (() => {
      try {
        resolveOccurred(occurred, 'Asia/Baku');
      } catch (e) {
        return e;
      }
    })() as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.errors.map((e) => e.field)).toEqual([field]);
  });
});
