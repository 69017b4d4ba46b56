import { DateTime } from 'luxon';
import { language, t } from './i18n';

/** The zone instants are shown in: the policy's (set once the timeline or policy is known). */
let zone = 'Asia/Tokyo';
export const setDisplayZone = (next: string): void => {
  zone = next;
};
export const displayZone = (): string => zone;

const locale = () => (language() === 'ja' ? 'ja-JP' : 'en-GB');

/**
 * The zone's short name: browsers know `JST` only under a Japanese locale (in English it is
 * `GMT+9`), so the letters of whichever locale has them win.
 */
function zoneName(at: DateTime): string {
  const english = at.setLocale('en-US').toFormat('ZZZZ');
  if (!/^(GMT|UTC)[+-]/.test(english)) {
    return english;
  }
  const japanese = at.setLocale('ja-JP').toFormat('ZZZZ');
  return /^[A-Z]{2,5}$/.test(japanese) ? japanese : english;
}

/** `2024-03-01 00:00 JST`: the instant in the policy's zone, with the zone named. */
export function instant(iso: string | null | undefined): string {
  if (!iso) {
    return '—';
  }
  const at = DateTime.fromISO(iso, { zone });
  return `${at.toFormat('yyyy-MM-dd HH:mm')} ${zoneName(at)}`;
}

export function date(iso: string | null | undefined): string {
  if (!iso) {
    return '—';
  }
  return DateTime.fromISO(iso, { zone }).toFormat('yyyy-MM-dd');
}

/** "in 12 days", "3 months ago", in the console's language. */
export function relative(iso: string | null | undefined): string {
  if (!iso) {
    return '';
  }
  return DateTime.fromISO(iso).setLocale(locale()).toRelative() ?? '';
}

export function instantWithRelative(iso: string | null | undefined): string {
  if (!iso) {
    return '—';
  }
  return `${instant(iso)} ${t('relativeNote', { relative: relative(iso) })}`;
}

/** A tentative target as the plan says it: "around May 2024" / "2024年5月頃". */
export function tentative(target: string): string {
  const month = /^(\d{4})-(\d{2})$/.exec(target);
  const label = month
    ? DateTime.fromObject({ year: Number(month[1]), month: Number(month[2]) }, { zone })
        .setLocale(locale())
        .toFormat(language() === 'ja' ? 'yyyy年M月' : 'LLLL yyyy')
    : target;
  return t('around', { target: label });
}

/** A date (yyyy-MM-dd) or a datetime-local value, read in the policy's zone, as an ISO instant. */
export function localToIso(value: string): string {
  return DateTime.fromISO(value, { zone }).toISO() ?? value;
}

export const ms = (iso: string): number => DateTime.fromISO(iso).toMillis();
