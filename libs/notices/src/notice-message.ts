import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { DateTime } from 'luxon';

// What a notice mail says, in the contact's language: a digest of the notices due for one
// address, with the transitions as an iCalendar attachment and a link to each service's page.

export type MailLanguage = 'ja' | 'en';

export interface MailNotice {
  id: string;
  kind: 'upcoming' | 'tentative' | 'updated' | 'cancelled';
  policy: string;
  policyTitle: string;
  timezone: string;
  service: string;
  serviceName: string;
  level: string;
  fromLevel: string | null;
  transitionAt: Date | null;
  tentative: string | null;
  leadDays: number | null;
  populations: string[];
  cause: string;
  instructionsUrl: string | null;
  change: {
    previous?: { at: string | null; tentative: string | null; level: string };
    next?: { at: string | null; tentative: string | null; level: string | null } | null;
    reason?: string | null;
  } | null;
}

export interface ComposedMail {
  subject: string;
  text: string;
  ics: string | null;
}

const LEVELS: Record<MailLanguage, Record<string, string>> = {
  en: {
    enforced: 'enforced (users without MFA are refused)',
    warn: 'warn (users without MFA see a warning with setup instructions and may continue)',
    'report-only': 'report only (users without MFA are let in and logged)',
    expected: 'expected (the policy says MFA is mandatory; the system does not block)',
    none: 'nothing required',
  },
  ja: {
    enforced: '強制(多要素認証を使わない利用者は利用できません)',
    warn: '警告(多要素認証を使わない利用者には設定手順つきの警告が表示され、続行できます)',
    'report-only': '記録のみ(多要素認証を使わない利用者も利用でき、記録されます)',
    expected: '必須化(方針上は必須ですが、システムは拒否しません)',
    none: '要求なし',
  },
};

const when = (
  language: MailLanguage,
  at: Date | string | null,
  tentative: string | null,
  zone: string,
): string => {
  if (at === null) {
    return language === 'ja'
      ? `${tentative ?? '未定'} ごろ(予定)`
      : `around ${tentative ?? 'a date to be set'} (tentative)`;
  }
  const local = DateTime.fromJSDate(typeof at === 'string' ? new Date(at) : at, { zone });
  return language === 'ja'
    ? `${local.toFormat('yyyy年M月d日 HH:mm')}(${zone})`
    : `${local.toFormat('yyyy-MM-dd HH:mm')} (${zone})`;
};

function headline(language: MailLanguage, notice: MailNotice): string {
  const level = LEVELS[language][notice.level] ?? notice.level;
  const date = when(language, notice.transitionAt, notice.tentative, notice.timezone);
  const name = notice.serviceName;
  if (language === 'ja') {
    switch (notice.kind) {
      case 'upcoming':
        return `${name}: ${date} から「${level}」になります${notice.leadDays === null ? '' : `(${notice.leadDays}日前のお知らせ)`}`;
      case 'tentative':
        return `${name}: ${date} に「${level}」になる予定です(日付は未確定)`;
      case 'updated':
        return `${name}: 予定が変更されました。新しい予定: ${date} から「${level}」`;
      case 'cancelled':
        return `${name}: 予定されていた変更は取りやめ(または停止)になりました`;
    }
  }
  switch (notice.kind) {
    case 'upcoming':
      return `${name}: ${level} from ${date}${notice.leadDays === null ? '' : ` (${notice.leadDays}-day notice)`}`;
    case 'tentative':
      return `${name}: planned to become ${level} ${date}; the date is not confirmed`;
    case 'updated':
      return `${name}: UPDATED: now ${level} from ${date}`;
    case 'cancelled':
      return `${name}: CANCELLED: the planned change will not happen as announced`;
  }
}

function changeLines(language: MailLanguage, notice: MailNotice): string[] {
  const previous = notice.change?.previous;
  if (previous === undefined) {
    return [];
  }
  const before = when(language, previous.at, previous.tentative, notice.timezone);
  const level = LEVELS[language][previous.level] ?? previous.level;
  const lines = [
    language === 'ja' ? `  変更前: ${before} から「${level}」` : `  Before: ${level} from ${before}`,
  ];
  if (notice.change?.reason) {
    lines.push(language === 'ja' ? `  理由: ${notice.change.reason}` : `  Reason: ${notice.change.reason}`);
  }
  return lines;
}

function block(language: MailLanguage, notice: MailNotice, publicUrl: string): string {
  const lines = [`- ${headline(language, notice)}`, ...changeLines(language, notice)];
  lines.push(
    language === 'ja'
      ? `  方針: ${notice.policyTitle}(${notice.cause}) 対象: ${notice.populations.join(', ')}`
      : `  Policy: ${notice.policyTitle} (${notice.cause}); populations: ${notice.populations.join(', ')}`,
  );
  if (notice.instructionsUrl !== null && (notice.level === 'warn' || notice.level === 'enforced')) {
    lines.push(
      language === 'ja'
        ? `  設定手順: ${notice.instructionsUrl}`
        : `  Setup instructions: ${notice.instructionsUrl}`,
    );
  }
  lines.push(`  ${publicUrl}/services/${encodeURIComponent(notice.service)}`);
  return lines.join('\n');
}

function calendar(notices: readonly MailNotice[], language: MailLanguage): string | null {
  const dated = notices.filter((notice) => notice.transitionAt !== null);
  if (dated.length === 0) {
    return null;
  }
  const feed = ical({
    name: 'Stepwise',
    method: ICalCalendarMethod.PUBLISH,
    prodId: '//Stepwise//Notices//EN',
  });
  for (const notice of dated) {
    const start = notice.transitionAt as Date;
    feed.createEvent({
      // By cause: an updated notice moves the event a calendar already holds.
      id: `notice-${notice.policy}-${notice.service}-${notice.cause}-${notice.level}@stepwise`,
      start,
      end: new Date(start.getTime() + 15 * 60_000),
      summary: headline(language, notice),
      status: notice.kind === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      timezone: 'UTC',
    });
  }
  return feed.toString();
}

/** The digest for one address. */
export function composeMail(
  language: MailLanguage,
  recipientName: string,
  notices: readonly MailNotice[],
  publicUrl: string,
): ComposedMail {
  const services = [...new Set(notices.map((notice) => notice.serviceName))].join(', ');
  const changed = notices.some((notice) => notice.kind === 'updated' || notice.kind === 'cancelled');
  const subject =
    notices.length === 1
      ? `[Stepwise] ${headline(language, notices[0])}`
      : language === 'ja'
        ? `[Stepwise] ${services}: ${notices.length}件のお知らせ${changed ? '(予定の変更あり)' : ''}`
        : `[Stepwise] ${services}: ${notices.length} notices${changed ? ' (a plan changed)' : ''}`;
  const greeting = language === 'ja' ? `${recipientName} 様` : `Dear ${recipientName},`;
  const intro =
    language === 'ja'
      ? '担当されているシステムの多要素認証の要求について、次のお知らせがあります。'
      : 'These are the upcoming changes to what your systems must require of users (MFA):';
  const footer =
    language === 'ja'
      ? 'このメールは Stepwise から自動で送信されています。予定は添付の .ics でカレンダーに取り込めます。'
      : 'Sent by Stepwise. The attached .ics adds the dated changes to your calendar.';
  const text = [
    greeting,
    '',
    intro,
    '',
    ...notices.map((notice) => block(language, notice, publicUrl)),
    '',
    footer,
    '',
  ].join('\n');
  return { subject, text, ics: calendar(notices, language) };
}
