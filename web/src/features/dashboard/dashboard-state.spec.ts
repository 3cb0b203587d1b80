import { describe, expect, it } from '@jest/globals';
import { dashboardSearch, delayWords, drillDownHref, nextPeriod, parseDashboardState, periodEnd } from './dashboard-state';

describe('dashboard state in the URL', () => {
  it('reads back what it writes, drops defaults and ignores values it does not know', () => {
    const state = parseDashboardState(new URLSearchParams('conflictId=c1&agreementId=a1&bucket=week&by=stated&from=2020-10-01&to=2020-10-31&layout=side-by-side&recordedBy=2020-10-12T00:00:00%2B04:00'));
    expect(state.recordedBy).toBe('2020-10-12T00:00:00+04:00');
    expect(parseDashboardState(dashboardSearch(state))).toEqual(state);
    expect(dashboardSearch(parseDashboardState(new URLSearchParams('bucket=fortnight&from=yesterday&conflictId=c1&recordedBy=2020-10-12'))).toString()).toBe('conflictId=c1');
  });

  it('knows where periods end', () => {
    expect(periodEnd('2020-10-05', 'week')).toBe('2020-10-11');
    expect(periodEnd('2020-02-01', 'month')).toBe('2020-02-29');
    expect(periodEnd('2020-10-10', 'day')).toBe('2020-10-10');
    expect(nextPeriod('2020-12-01', 'month')).toBe('2021-01-01');
  });
});

describe('drill-down links', () => {
  const state = { conflictId: 'c1', agreementId: 'a1', bucket: 'week' as const, by: 'stated' as const, from: '2020-10-07', to: '' };
  it('carry the period (cut to the chosen dates), the direction, the agreement and the basis, counted claims only', () => {
    const href = new URL(drillDownHref(state, { claimant: 'az', subject: 'am', assertion: 'violated', period: '2020-10-05' }), 'http://x');
    expect(Object.fromEntries(href.searchParams)).toEqual({
      conflictId: 'c1', claimant: 'az', subject: 'am', assertion: 'violated', agreementId: 'a1', from: '2020-10-07', to: '2020-10-11', by: 'stated', counted: 'true',
    });
  });

  it('a scorecard number: its own agreement and answer, no dates', () => {
    const href = new URL(drillDownHref({ ...state, from: '', agreementId: '' }, { claimant: 'am', subject: 'az', assertion: 'violated', agreementId: 'a2', answered: 'denied' }), 'http://x');
    expect(Object.fromEntries(href.searchParams)).toEqual({ conflictId: 'c1', claimant: 'am', subject: 'az', assertion: 'violated', agreementId: 'a2', answered: 'denied', counted: 'true' });
  });
});

describe('delays in words', () => {
  it('says hours and minutes, or days and hours', () => {
    expect(delayWords('2020-10-10T12:00:00+04:00', '2020-10-10T14:10:00+04:00')).toBe('2 h 10 min after');
    expect(delayWords('2020-10-10T12:00:00+04:00', '2020-10-10T08:10:00Z')).toBe('10 min after');
    expect(delayWords('2020-10-10T12:00:00+04:00', '2020-10-13T15:00:00+04:00')).toBe('3 d 3 h after');
    expect(delayWords('2020-10-10T12:00:00+04:00', '2020-10-10T11:00:00+04:00')).toBe('1 h before');
  });
});
