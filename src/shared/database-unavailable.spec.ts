import { describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { isDatabaseUnavailable, OutageLog } from './database-unavailable';

const withCode = (code: string) => Object.assign(new Error('x'), { code });

describe('isDatabaseUnavailable', () => {
  it.each(['ECONNREFUSED', 'ECONNRESET', '57P01', '57P02', '57P03', '57014', '08006'])('recognises %s', (code) => {
    expect(isDatabaseUnavailable(withCode(code))).toBe(true);
  });

  it('recognises node-postgres messages, and errors wrapped by TypeORM or in a cause', () => {
    expect(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('query failed'), { driverError: withCode('57P01') }))).toBe(true);
    expect(isDatabaseUnavailable(new Error('outer', { cause: withCode('ECONNREFUSED') }))).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([withCode('ECONNREFUSED')]))).toBe(true);
  });

  it('leaves other errors alone', () => {
    expect(isDatabaseUnavailable(withCode('23505'))).toBe(false);
    expect(isDatabaseUnavailable(new Error('date/time field value out of range'))).toBe(false);
    expect(isDatabaseUnavailable('ECONNREFUSED')).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
  });
});

describe('OutageLog', () => {
  it('warns once per outage window, not once per failure', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    let now = 1_000_000;
    const log = new OutageLog(() => now);
    for (let i = 0; i < 50; i++) {
      log.report(withCode('ECONNREFUSED'), 'GET /api/claims');
      now += 500;
    }
    expect(warn).toHaveBeenCalledTimes(1);
    now += 60_000; // quiet for a minute: the next failure is a new outage
    log.report(withCode('ECONNREFUSED'), 'GET /api/claims');
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls[1]![0]).toMatchObject({ failuresInPreviousOutage: 50 });
    warn.mockRestore();
  });
});
