import { render } from 'preact';
import { useState } from 'preact/hooks';
import { loadSession, type Session, useSession } from './api';
import { Layout } from './layout';
import { setLanguage, t } from './i18n';
import { installLinkHandler, useLocation } from './router';
import { Pages } from './pages/pages';

function SignIn({ session, ended }: { session: Session; ended: boolean }) {
  const returnTo = `${window.location.pathname}${window.location.search}`;
  const signedOut = window.location.pathname === '/signed-out';
  return (
    <main class="sign-in" id="main">
      <h1>
        {t('appName')} <small>{t('tagline')}</small>
      </h1>
      {session.mode === 'development' && <p class="dev-banner">{t('devSignIn')}</p>}
      {ended && <p class="notice notice-error">{t('sessionEnded')}</p>}
      <p>{signedOut ? t('signedOut') : t('signInLead')}</p>
      <p>
        <a
          class="button primary"
          href={`/auth/login?returnTo=${encodeURIComponent(signedOut ? '/' : returnTo)}`}
        >
          {signedOut ? t('signInAgain') : t('signIn')}
        </a>
      </p>
    </main>
  );
}

function App({ initial }: { initial: Session }) {
  const [session, setSession] = useState(initial);
  const [ended, setEnded] = useState(false);
  const location = useLocation();
  useSession(session, () => {
    setEnded(true);
    setSession({ ...session, signedIn: false });
  });
  if (!session.signedIn || !session.person || location.path === '/signed-out') {
    return <SignIn session={session} ended={ended} />;
  }
  return (
    <Layout session={session} location={location}>
      <Pages person={session.person} location={location} />
    </Layout>
  );
}

async function start(): Promise<void> {
  installLinkHandler();
  const session = await loadSession();
  setLanguage(session.language);
  const root = document.getElementById('app');
  if (root) {
    render(<App initial={session} />, root);
  }
}

void start();
