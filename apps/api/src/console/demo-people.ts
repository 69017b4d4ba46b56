/**
 * The people of the development identity provider: enough to walk through every role of the
 * console, four-eyes included. Their groups go through config/access.yaml like anyone's.
 */
export interface DemoPerson {
  login: string;
  name: string;
  /** What the sign-in page says they are for, in English and Japanese. */
  role: { en: string; ja: string };
  groups: string[];
}

export const DEMO_PEOPLE: readonly DemoPerson[] = [
  {
    login: 'aiko',
    name: 'Aiko Tanaka',
    role: { en: 'Planner, CIO office (drafts)', ja: 'CIO オフィス 計画担当（起案）' },
    groups: ['cio-office'],
  },
  {
    login: 'ben',
    name: 'Ben Sato',
    role: { en: 'Planner, CIO office (approves)', ja: 'CIO オフィス 計画担当（承認）' },
    groups: ['cio-office'],
  },
  {
    login: 'chika',
    name: 'Chika Suzuki',
    role: { en: 'Owner of UTAS', ja: 'UTAS の管理者' },
    groups: ['service-owner:utas'],
  },
  {
    login: 'daisuke',
    name: 'Daisuke Ito',
    role: { en: 'Auditor', ja: '監査担当' },
    groups: ['audit-office'],
  },
  {
    login: 'emi',
    name: 'Emi Kato',
    role: { en: 'Operator (admin)', ja: '運用管理者（admin）' },
    groups: ['stepwise-admins'],
  },
  {
    login: 'fumi',
    name: 'Fumi Nakamura',
    role: { en: 'Student, no role in Stepwise', ja: '学生（Stepwise の権限なし）' },
    groups: ['students'],
  },
];
