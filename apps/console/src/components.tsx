import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError } from './api';
import { t, tv } from './i18n';

export interface Loaded<T> {
  data: T | undefined;
  error: Error | undefined;
  reload: () => void;
}

/** Loads on mount and whenever a dependency changes; a stale answer never overwrites a newer one. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: Error }>({});
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    setState((previous) => ({ data: previous.data }));
    load().then(
      (data) => current && setState({ data }),
      (error: unknown) =>
        current && setState({ error: error instanceof Error ? error : new Error(String(error)) }),
    );
    return () => {
      current = false;
    };
  }, [...deps, round]);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { data: state.data, error: state.error, reload };
}

export function LevelBadge({ level }: { level: string }) {
  return (
    <span class={`level level-${level}`} title={tv('levelHelp', level)}>
      <span class="level-swatch" aria-hidden="true" />
      {tv('level', level)}
    </span>
  );
}

export function Legend() {
  return (
    <dl class="legend" aria-label={t('legend')}>
      {['none', 'expected', 'report-only', 'warn', 'enforced'].map((level) => (
        <div key={level}>
          <dt>
            <LevelBadge level={level} />
          </dt>
          <dd>{tv('levelHelp', level)}</dd>
        </div>
      ))}
      <div>
        <dt>
          <span class="level level-tentative">
            <span class="level-swatch" aria-hidden="true" />
            {t('tentative')}
          </span>
        </dt>
        <dd>{t('around', { target: '…' })}</dd>
      </div>
    </dl>
  );
}

/** Shows what went wrong; 403 and 404 as pages of their own. */
export function Problem({ error, retry }: { error: Error; retry?: () => void }) {
  if (error instanceof ApiError && error.status === 403) {
    return (
      <section class="problem" role="alert">
        <h1>{t('forbiddenTitle')}</h1>
        <p>{t('forbiddenBody')}</p>
        <p class="muted">{error.message}</p>
      </section>
    );
  }
  if (error instanceof ApiError && error.status === 404) {
    return (
      <section class="problem" role="alert">
        <h1>{t('notFoundTitle')}</h1>
        <p>{error.message || t('notFoundBody')}</p>
      </section>
    );
  }
  return (
    <section class="problem" role="alert">
      <h2>{t('error')}</h2>
      <p>{error.message}</p>
      {retry && (
        <button type="button" onClick={retry}>
          {t('retry')}
        </button>
      )}
    </section>
  );
}

/** The page's data, or its loading state or problem. */
export function Await<T>({
  loaded,
  children,
}: {
  loaded: Loaded<T>;
  children: (data: T) => ComponentChildren;
}) {
  if (loaded.error) {
    return <Problem error={loaded.error} retry={loaded.reload} />;
  }
  if (loaded.data === undefined) {
    return (
      <p class="loading" role="status">
        {t('loading')}
      </p>
    );
  }
  return <>{children(loaded.data)}</>;
}

export type Feedback = { kind: 'ok' | 'error'; text: string } | null;

/**
 * An action's outcome for a Notice: the text its work answers on success (then `after`, usually a
 * reload), or the API's refusal.
 */
export function useAction(after: () => void): {
  notice: Feedback;
  act: (work: () => Promise<string>) => Promise<void>;
} {
  const [notice, setNotice] = useState<Feedback>(null);
  const act = async (work: () => Promise<string>) => {
    try {
      setNotice({ kind: 'ok', text: await work() });
      after();
    } catch (error) {
      setNotice({ kind: 'error', text: errorText(error) });
    }
  };
  return { notice, act };
}

/** A message after an action: success or the API's refusal, announced to screen readers. */
export function Notice({ notice }: { notice: Feedback }) {
  if (notice === null) {
    return null;
  }
  return (
    <p class={`notice notice-${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
      {notice.text}
    </p>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return <span class={`status status-${status}`}>{tv('status', status)}</span>;
}

export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
