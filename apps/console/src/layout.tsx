import type { ComponentChildren } from 'preact';
import { type Person, type Session, signOut } from './api';
import { chooseLanguage, language, type Language, t, tv } from './i18n';
import { type Location, navigate } from './router';

interface NavItem {
  href: string;
  label: string;
  active: (path: string) => boolean;
}

export function navFor(person: Person): NavItem[] {
  const items: NavItem[] = [];
  const owner = person.role === 'service-owner';
  if (!owner) {
    items.push({ href: '/timeline', label: t('navTimeline'), active: (p) => p === '/' || p === '/timeline' });
  }
  if (owner) {
    items.push({ href: '/services', label: t('navServices'), active: (p) => p.startsWith('/services') });
  }
  if (!owner) {
    items.push({
      href: '/policies/mfa-mandatory/revisions',
      label: t('navRevisions'),
      active: (p) => p.startsWith('/policies'),
    });
  }
  if (!owner) {
    items.push({
      href: '/directory',
      label: t('navDirectory'),
      active: (p) => p.startsWith('/directory') || p.startsWith('/services'),
    });
  }
  if (!owner) {
    items.push({ href: '/rollout', label: t('navRollout'), active: (p) => p.startsWith('/rollout') });
  }
  if (!owner) {
    items.push({ href: '/adoption', label: t('navAdoption'), active: (p) => p.startsWith('/adoption') });
  }
  items.push({ href: '/notices', label: t('navNotices'), active: (p) => p.startsWith('/notices') });
  if (person.role === 'auditor' || person.role === 'admin') {
    items.push({ href: '/audit', label: t('navAudit'), active: (p) => p.startsWith('/audit') });
  }
  return items;
}

export function Layout({
  session,
  location,
  children,
}: {
  session: Session;
  location: Location;
  children: ComponentChildren;
}) {
  const person = session.person as Person;
  const switchTo = (next: Language) => {
    chooseLanguage(next);
    // Every text is re-rendered in the new language, with the page and its state kept.
    navigate(`${location.path}${location.params.size > 0 ? `?${location.params.toString()}` : ''}`, true);
  };
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      {session.mode === 'development' && <p class="dev-banner">{t('devSignIn')}</p>}
      <header class="top">
        <a class="brand" href="/">
          {t('appName')}
        </a>
        <nav aria-label={t('mainNav')}>
          <ul>
            {navFor(person).map((item) => (
              <li key={item.href}>
                <a href={item.href} aria-current={item.active(location.path) ? 'page' : undefined}>
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who">
          <span class="person">
            {person.name} <span class="role">{tv('role', person.role)}</span>
          </span>
          <label class="language">
            <span class="visually-hidden">{t('language')}</span>
            <select
              value={language()}
              onChange={(event) => switchTo((event.target as HTMLSelectElement).value as Language)}
            >
              <option value="ja">日本語</option>
              <option value="en">English</option>
            </select>
          </label>
          <button type="button" class="link" onClick={() => void signOut()}>
            {t('signOut')}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
