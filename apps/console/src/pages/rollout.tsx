import { DateTime } from 'luxon';
import { api, type Person, query } from '../api';
import { Await, useLoad } from '../components';
import { instant, relative } from '../format';
import { t, tv } from '../i18n';
import { type Location, navigate } from '../router';
import { Pager } from './pager';

interface RolloutItem {
  service: string;
  connector: string;
  state: string;
  desiredGeneration: number | null;
  appliedGeneration: number | null;
  attempts: number;
  lastError: string | null;
  lastAttemptAt: string | null;
}

const STATES = ['pending', 'in-sync', 'failing', 'disabled'];

/** Counts older than this were served from the API's background count: the page says so. */
const STALE_NOTE_MS = 2_000;

/** Desired against applied generation per service, with counts per state. */
export function RolloutPage({ location }: { person: Person; location: Location }) {
  const state = location.params.get('state') ?? '';
  const cursor = location.params.get('cursor') ?? '';
  const loaded = useLoad(
    () =>
      api.get<{
        counts: Record<string, number>;
        countedAt: string;
        items: RolloutItem[];
        nextCursor?: string | null;
      }>(`/rollout${query({ state, cursor })}`),
    [state, cursor],
  );
  return (
    <section>
      <h1>{t('rollout')}</h1>
      <Await loaded={loaded}>
        {(rollout) => (
          <>
            <ul class="counts" aria-label={t('state')}>
              <li>
                <a href="/rollout" aria-current={state === '' ? 'true' : undefined}>
                  {t('all')}
                </a>
              </li>
              {STATES.map((name) => (
                <li key={name}>
                  <a
                    href={`/rollout?state=${name}`}
                    aria-current={state === name ? 'true' : undefined}
                    onClick={(event) => {
                      event.preventDefault();
                      navigate(`/rollout?state=${name}`);
                    }}
                  >
                    <span class={`state state-${name}`}>{tv('state', name)}</span>{' '}
                    <strong>{rollout.counts[name] ?? rollout.counts[name.replace('-s', 'S')] ?? 0}</strong>
                  </a>
                </li>
              ))}
            </ul>
            {-DateTime.fromISO(rollout.countedAt).diffNow().toMillis() > STALE_NOTE_MS && (
              <p class="note">{t('rolloutCountedAt', { relative: relative(rollout.countedAt) })}</p>
            )}
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('service')}</th>
                  <th scope="col">{t('connector')}</th>
                  <th scope="col">{t('state')}</th>
                  <th scope="col">{t('desired')}</th>
                  <th scope="col">{t('applied')}</th>
                  <th scope="col">{t('attempts')}</th>
                  <th scope="col">{t('lastError')}</th>
                </tr>
              </thead>
              <tbody>
                {rollout.items.map((item) => (
                  <tr key={item.service}>
                    <td>
                      <a href={`/services/${item.service}`}>{item.service}</a>
                    </td>
                    <td>{item.connector}</td>
                    <td>
                      <span class={`state state-${item.state}`}>{tv('state', item.state)}</span>
                    </td>
                    <td>{item.desiredGeneration ?? '—'}</td>
                    <td>{item.appliedGeneration ?? '—'}</td>
                    <td>{item.attempts}</td>
                    <td>
                      {item.lastError ?? '—'}
                      {item.lastAttemptAt && <span class="muted small"> {instant(item.lastAttemptAt)}</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <Pager location={location} nextCursor={rollout.nextCursor} />
          </>
        )}
      </Await>
    </section>
  );
}
