import { useState } from 'preact/hooks';
import { ApiError, api, type Person, query } from '../api';
import { Await, errorText, LevelBadge, Notice, useLoad } from '../components';
import { date, instant, instantWithRelative, tentative } from '../format';
import { t, tv } from '../i18n';
import { Contacts } from './notices';
import { Postponements, postponementSourceText } from './postponements';

interface Requirement {
  policy: string;
  revision: number | null;
  population: string;
  level: string;
  since: string | null;
  source: { kind: string; phase?: string; rule?: string; until?: string };
}

interface Upcoming {
  policy: string;
  revision: number;
  population: string;
  level: string;
  at: string | null;
  tentative: string | null;
  phase?: string;
  rule?: string;
}

export interface ServiceView {
  id: string;
  name: string;
  owner: string | null;
  tags: string[];
  mfaCapability: string;
  readySince: string | null;
  introducedAt: string | null;
  connector: { type: string; url?: string };
  version: number;
}

interface RulesDocument {
  generation: number;
  hash: string;
  computedAt: string;
  nextChangeAt: string | null;
  rules: Requirement[];
}

interface RolloutItem {
  service: string;
  state: string;
  desiredGeneration: number | null;
  appliedGeneration: number | null;
  attempts: number;
  lastError: string | null;
  lastAttemptAt: string | null;
}

/** The service's line of /rollout: its pages are by service id, so the search stops at the first past it. */
async function rolloutOf(serviceId: string): Promise<RolloutItem | null> {
  let cursor: string | null = null;
  do {
    const page: { items: RolloutItem[]; nextCursor?: string | null } = await api.get(
      `/rollout${query({ limit: 1000, cursor })}`,
    );
    const found = page.items.find((item) => item.service === serviceId);
    if (found || page.items.some((item) => item.service > serviceId)) {
      return found ?? null;
    }
    cursor = page.nextCursor ?? null;
  } while (cursor !== null);
  return null;
}

export const sourceText = (source: {
  kind: string;
  phase?: string;
  rule?: string;
  until?: string;
}): string =>
  source.kind === 'postponement'
    ? postponementSourceText(source)
    : tv('source', source.kind, {
        phase: source.phase ?? '',
        rule: source.rule ? tv('rule', source.rule) : '',
      });

export function ServicePage({ serviceId, person }: { serviceId: string; person: Person }) {
  const planner = person.role === 'planner' || person.role === 'admin';
  const seesRollout = planner || person.role === 'auditor';
  const loaded = useLoad(async () => {
    const service = await api.get<ServiceView>(`/services/${serviceId}`);
    const [answer, rules, rollout] = await Promise.all([
      api.get<{ requirements: Requirement[]; upcoming: Upcoming[] }>(`/services/${serviceId}/requirements`),
      api
        .get<RulesDocument>(`/services/${serviceId}/rules`)
        // Not computed yet (409): the worker has not refreshed since the service was registered.
        .catch((error: unknown) => {
          if (error instanceof ApiError && error.status === 409) {
            return null;
          }
          throw error;
        }),
      seesRollout ? rolloutOf(serviceId) : Promise.resolve(null),
    ]);
    return { service, answer, rules, rollout };
  }, [serviceId]);
  return (
    <Await loaded={loaded}>
      {({ service, answer, rules, rollout }) => (
        <article class="service-page">
          <h1>
            {service.name} <small class="muted">{service.id}</small>
          </h1>
          <p class="facts">
            <span class={`capability capability-${service.mfaCapability}`}>
              {service.mfaCapability === 'ready' ? t('mfaReady') : t('mfaNotReady')}
            </span>
            {service.readySince && ` · ${t('readySince')} ${date(service.readySince)}`}
            {service.owner && ` · ${t('owner')}: ${service.owner}`}
            {service.tags.length > 0 && ` · ${t('tags')}: ${service.tags.join(', ')}`}
          </p>
          <section aria-labelledby="now-heading">
            <h2 id="now-heading">{t('requiredNow')}</h2>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('population')}</th>
                  <th scope="col">{t('levelNow')}</th>
                  <th scope="col">{t('since')}</th>
                  <th scope="col">{t('why')}</th>
                </tr>
              </thead>
              <tbody>
                {answer.requirements.map((requirement) => (
                  <tr key={`${requirement.policy}-${requirement.population}`}>
                    <td>{requirement.population}</td>
                    <td>
                      <LevelBadge level={requirement.level} />
                    </td>
                    <td>{instantWithRelative(requirement.since)}</td>
                    <td>
                      {sourceText(requirement.source)}
                      {requirement.revision !== null && (
                        <>
                          {' · '}
                          <a href={`/policies/${requirement.policy}/revisions/${requirement.revision}`}>
                            {t('revisionN', { n: requirement.revision })}
                          </a>
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section aria-labelledby="next-heading">
            <h2 id="next-heading">{t('nextChanges')}</h2>
            {answer.upcoming.length === 0 ? (
              <p>{t('noNextChanges')}</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('when')}</th>
                    <th scope="col">{t('population')}</th>
                    <th scope="col">{t('level')}</th>
                    <th scope="col">{t('why')}</th>
                  </tr>
                </thead>
                <tbody>
                  {answer.upcoming.map((change, index) => (
                    <tr key={index}>
                      <td>
                        {change.at !== null ? (
                          instantWithRelative(change.at)
                        ) : (
                          <span class="tentative-text">
                            {t('tentative')}: {tentative(change.tentative ?? '')}
                          </span>
                        )}
                      </td>
                      <td>{change.population}</td>
                      <td>
                        <LevelBadge level={change.level} />
                      </td>
                      <td>
                        {change.phase
                          ? tv('source', 'phase', { phase: change.phase })
                          : change.rule
                            ? tv('rule', change.rule)
                            : ''}
                        {' · '}
                        <a href={`/policies/${change.policy}/revisions/${change.revision}`}>
                          {t('revisionN', { n: change.revision })}
                        </a>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section aria-labelledby="rules-heading">
            <h2 id="rules-heading">{t('rulesDocument')}</h2>
            {rules === null ? (
              <p class="muted">{t('rulesPending')}</p>
            ) : (
              <>
                <dl class="pairs">
                  <dt>{t('generation')}</dt>
                  <dd>{rules.generation}</dd>
                  <dt>{t('computedAt')}</dt>
                  <dd>{instant(rules.computedAt)}</dd>
                  <dt>{t('nextChangeAt')}</dt>
                  <dd>{instantWithRelative(rules.nextChangeAt)}</dd>
                </dl>
                <details>
                  <summary>JSON</summary>
                  <pre>{JSON.stringify(rules, null, 2)}</pre>
                </details>
              </>
            )}
          </section>
          <Contacts serviceId={service.id} person={person} />
          <Postponements serviceId={service.id} person={person} />
          {rollout && <Delivery rollout={rollout} serviceId={service.id} canRedeliver={planner} />}
          <CalendarFeed serviceId={service.id} />
        </article>
      )}
    </Await>
  );
}

function Delivery({
  rollout,
  serviceId,
  canRedeliver,
}: {
  rollout: RolloutItem;
  serviceId: string;
  canRedeliver: boolean;
}) {
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const redeliver = async () => {
    try {
      const answer = await api.post<{ generation: number }>(`/services/${serviceId}/redeliver`);
      setNotice({ kind: 'ok', text: t('redelivered', { generation: answer.generation }) });
    } catch (error) {
      setNotice({ kind: 'error', text: errorText(error) });
    }
  };
  return (
    <section aria-labelledby="delivery-heading">
      <h2 id="delivery-heading">{t('delivery')}</h2>
      <dl class="pairs">
        <dt>{t('state')}</dt>
        <dd>
          <span class={`state state-${rollout.state}`}>{tv('state', rollout.state)}</span>
        </dd>
        <dt>{t('desired')}</dt>
        <dd>{rollout.desiredGeneration ?? '—'}</dd>
        <dt>{t('applied')}</dt>
        <dd>{rollout.appliedGeneration ?? '—'}</dd>
        <dt>{t('attempts')}</dt>
        <dd>{rollout.attempts}</dd>
        <dt>{t('lastError')}</dt>
        <dd>{rollout.lastError ?? '—'}</dd>
      </dl>
      {canRedeliver && (
        <button type="button" onClick={() => void redeliver()}>
          {t('redeliver')}
        </button>
      )}
      <Notice notice={notice} />
    </section>
  );
}

function CalendarFeed({ serviceId }: { serviceId: string }) {
  const [feed, setFeed] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const show = async () => {
    try {
      const answer = await api.get<{ url: string }>('/schedule/feed');
      setFeed(`${window.location.origin}${answer.url}&service=${serviceId}`);
    } catch (error) {
      setNotice({ kind: 'error', text: errorText(error) });
    }
  };
  const copy = async () => {
    if (feed === null) {
      return;
    }
    await navigator.clipboard.writeText(feed);
    setNotice({ kind: 'ok', text: t('copied') });
  };
  return (
    <section aria-labelledby="feed-heading">
      <h2 id="feed-heading">{t('calendarFeed')}</h2>
      <p>{t('calendarFeedHelp')}</p>
      {feed === null ? (
        <button type="button" onClick={() => void show()}>
          {t('showFeed')}
        </button>
      ) : (
        <p class="copy-row">
          <label>
            <span class="visually-hidden">{t('calendarFeed')}</span>
            <input
              type="text"
              readOnly
              value={feed}
              size={60}
              onFocus={(e) => (e.target as HTMLInputElement).select()}
            />
          </label>
          <button type="button" onClick={() => void copy()}>
            {t('copy')}
          </button>
        </p>
      )}
      <Notice notice={notice} />
    </section>
  );
}
