import { scheduleCalendar } from './schedule-calendar';
import type { ScheduledTransitionDto } from './schedule.dto';

const firing = (at: string): ScheduledTransitionDto => ({
  service: 'example-library-proxy',
  policy: 'mfa-mandatory',
  population: 'students',
  at,
  from: 'expected',
  to: 'enforced',
  revision: 2,
  source: { kind: 'rule', rule: 'mfa-ready' },
});
const uids = (text: string): string[] => [...text.matchAll(/^UID:(.*)\r$/gm)].map((match) => match[1]);

describe(scheduleCalendar.name, () => {
  const first = firing('2026-12-02T19:43:22.000Z');
  const again = firing('2027-03-09T15:00:00.000Z');

  it('names a repeated firing of one cause by its instant, whether or not the first one is in the window', () => {
    const both = uids(scheduleCalendar([first, again]));
    expect(both).toHaveLength(2);
    expect(both[1]).toBe(`${both[0].replace('@stepwise', '')}-${Date.parse(again.at)}@stepwise`);
    expect(uids(scheduleCalendar([again], [first]))).toEqual([both[1]]);
  });

  it('ends every content line with CRLF, the last one too', () => {
    const text = scheduleCalendar([first]);
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(text.split('\r\n').every((line) => !line.includes('\n'))).toBe(true);
  });
});
