import { describe, expect, it } from 'vitest';
import { formatDate, isIsoDate } from '../../src/domain/dates.js';

describe('dates', () => {
  it.each(['2026-02-28', '2024-02-29', '2026-12-31'])('accepts the real date %s', (d) => expect(isIsoDate(d)).toBe(true));
  it.each(['2026-02-30', '2026-02-29', '2026-13-01', '2026-00-10', '2026-1-1', '26-01-01', '2026/01/01', '', 20260101])('rejects %j', (d) =>
    expect(isIsoDate(d)).toBe(false),
  );
  it('shows dates as MM/DD/YYYY on screen', () => expect(formatDate('2026-09-14')).toBe('09/14/2026'));
});
