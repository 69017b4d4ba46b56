import { useState } from 'preact/hooks';
import { api, type Person, query } from '../api';
import { Await, errorText, LevelBadge, Notice, StatusBadge, useLoad } from '../components';
import { date, instant, localToIso, setDisplayZone, tentative } from '../format';
import { t, tv } from '../i18n';
import type { PhaseModel, PolicyModel, RevisionModel } from '../revision-model';
import { type Location, navigate } from '../router';
import { sourceText } from './service';

interface FieldChange {
  field: string;
  old: unknown;
  new: unknown;
}
interface PartDiff {
  status: string;
  changes: FieldChange[];
}
interface Diff {
  against: number;
  statement: PartDiff;
  phases: (PartDiff & { key: string })[];
  standingRules: (PartDiff & { on: string })[];
}
interface Impact {
  against: number | null;
  takesOverAt: string | null;
  changes: {
    service: string;
    population: string;
    at: string;
    from: string;
    to: string;
    source: { kind: string; phase?: string; rule?: string };
  }[];
}

export function scopeText(phase: PhaseModel): string {
  const { services, selector, except, populations } = phase.scope;
  const parts: string[] = [];
  if (services) {
    parts.push(t('scopeServices', { list: services.join(', ') }));
  }
  if (selector) {
    const what = [
      selector.mfaCapability ? (selector.mfaCapability === 'ready' ? t('mfaReady') : t('mfaNotReady')) : '',
      selector.tags?.length ? t('scopeTags', { tags: selector.tags.join(', ') }) : '',
    ]
      .filter(Boolean)
      .join(', ');
    parts.push(t('scopeSelector', { what: what || t('all') }));
  }
  if (except?.length) {
    parts.push(t('scopeExcept', { list: except.join(', ') }));
  }
  parts.push(populations?.length ? populations.join(', ') : t('allPopulations'));
  return parts.join(' · ');
}

export function effectiveText(phase: PhaseModel): string {
  if (phase.effective.at !== undefined) {
    return phase.effective.at;
  }
  return `${t('tentative')}: ${tentative(phase.effective.tentative ?? '')}`;
}

export function RevisionPage({
  policyId,
  number,
  person,
  location,
}: {
  policyId: string;
  number: number;
  person: Person;
  location: Location;
}) {
  const against = location.params.get('against') ?? '';
  const loaded = useLoad(async () => {
    const [policy, revision] = await Promise.all([
      api.get<PolicyModel>(`/policies/${policyId}`),
      api.get<RevisionModel>(`/policies/${policyId}/revisions/${number}`),
    ]);
    setDisplayZone(policy.timezone);
    return { policy, revision };
  }, [policyId, number]);
  return (
    <Await loaded={loaded}>
      {({ policy, revision }) => (
        <article class="revision-page">
          <p class="crumbs">
            <a href={`/policies/${policy.id}/revisions`}>{t('revisions')}</a>
          </p>
          <h1>
            {t('revisionN', { n: revision.number })} <StatusBadge status={revision.status} />
            {policy.activeRevision === revision.number && <span class="pill">{t('active')}</span>}
          </h1>
          <p class="lead">{revision.summary}</p>
          <dl class="pairs">
            <dt>{t('reason')}</dt>
            <dd>{revision.reason}</dd>
            {revision.sourceUrl && (
              <>
                <dt>{t('sourceLink')}</dt>
                <dd>
                  <a href={revision.sourceUrl} rel="noreferrer" target="_blank">
                    {revision.sourceUrl}
                  </a>
                </dd>
              </>
            )}
            <dt>{t('author')}</dt>
            <dd>{revision.author.name}</dd>
            <dt>{t('approvedBy')}</dt>
            <dd>{revision.approvedBy?.name ?? '—'}</dd>
            <dt>{t('publishAt')}</dt>
            <dd>
              {instant(revision.publishAt)} {revision.imported && <span class="pill">{t('imported')}</span>}
            </dd>
            <dt>{t('recordedAt')}</dt>
            <dd>{instant(revision.recordedAt)}</dd>
            {revision.statusReason && (
              <>
                <dt>{t('statusNote')}</dt>
                <dd>{revision.statusReason}</dd>
              </>
            )}
            <dt>{t('statement')}</dt>
            <dd>
              {revision.mandatory
                ? t('mandatorySince', { date: revision.mandatory.since })
                : t('noStatement')}
            </dd>
          </dl>
          {person.role === 'planner' && ['draft', 'submitted', 'approved'].includes(revision.status) && (
            <Lifecycle revision={revision} person={person} reload={loaded.reload} />
          )}
          <h2>{t('phases')}</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('key')}</th>
                <th scope="col">{t('title')}</th>
                <th scope="col">{t('effective')}</th>
                <th scope="col">{t('scope')}</th>
                <th scope="col">{t('enforcement')}</th>
                <th scope="col">{t('state')}</th>
              </tr>
            </thead>
            <tbody>
              {revision.phases.map((phase) => (
                <tr key={phase.key}>
                  <td>{phase.key}</td>
                  <td>{phase.title}</td>
                  <td>{effectiveText(phase)}</td>
                  <td>{scopeText(phase)}</td>
                  <td>
                    {tv('enforcement', phase.enforcement)}
                    {phase.instructionsUrl && (
                      <p class="small">
                        <a href={phase.instructionsUrl} rel="noopener noreferrer">
                          {t('noticeInstructions')}
                        </a>
                      </p>
                    )}
                  </td>
                  <td>
                    {tv('state', phase.state)}
                    {phase.stateReason && <p class="muted small">{phase.stateReason}</p>}
                    {phase.postponeUntilMax && (
                      <p class="muted small">{t('postponementCapShown', { cap: phase.postponeUntilMax })}</p>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>{t('standingRules')}</h2>
          <ul>
            {revision.standingRules.map((rule) => (
              <li key={rule.on}>
                {tv('rule', rule.on)} ({tv('enforcement', rule.enforcement ?? 'enforce')}
                {rule.since ? `, ${t('since')} ${rule.since}` : ''})
              </li>
            ))}
          </ul>
          <DiffSection revision={revision} against={against} />
          {person.role !== 'service-owner' && <ImpactSection revision={revision} />}
          {person.role === 'planner' && (
            <p>
              <a class="button" href={`/policies/${revision.policy}/revisions/${revision.number}/edit`}>
                {t('newDraft')}
              </a>
            </p>
          )}
        </article>
      )}
    </Await>
  );
}

function Lifecycle({
  revision,
  person,
  reload,
}: {
  revision: RevisionModel;
  person: Person;
  reload: () => void;
}) {
  const [reason, setReason] = useState('');
  const [publishAt, setPublishAt] = useState('');
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const act = async (action: string, body: Record<string, string>) => {
    try {
      await api.post(`/policies/${revision.policy}/revisions/${revision.number}/${action}`, body);
      setNotice({ kind: 'ok', text: t('done') });
      reload();
    } catch (error) {
      setNotice({ kind: 'error', text: errorText(error) });
    }
  };
  const withReason: Record<string, string> = reason.trim() === '' ? {} : { reason: reason.trim() };
  const own = revision.author.id === person.id;
  const { status } = revision;
  return (
    <section class="lifecycle" aria-labelledby="actions-heading">
      <h2 id="actions-heading">{t('actions')}</h2>
      {(status === 'submitted' || status === 'draft') && own && <p class="muted">{t('fourEyes')}</p>}
      {(status === 'draft' || status === 'submitted' || status === 'approved') && (
        <label class="block">
          {t('reasonRequired')}
          <textarea
            value={reason}
            rows={2}
            onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)}
          />
        </label>
      )}
      <div class="buttons">
        {status === 'draft' && (
          <button type="button" class="primary" onClick={() => void act('submit', withReason)}>
            {t('submit')}
          </button>
        )}
        {status === 'submitted' && !own && (
          <button type="button" class="primary" onClick={() => void act('approve', withReason)}>
            {t('approve')}
          </button>
        )}
        {status === 'submitted' && (
          <button type="button" onClick={() => void act('reject', withReason)}>
            {t('reject')}
          </button>
        )}
        {(status === 'draft' || status === 'submitted' || status === 'approved') && (
          <button type="button" onClick={() => void act('withdraw', withReason)}>
            {t('withdraw')}
          </button>
        )}
        {status === 'approved' && (
          <>
            <button type="button" class="primary" onClick={() => void act('publish', withReason)}>
              {t('publishNow')}
            </button>
            <label>
              {t('publishAt_')}
              <input
                type="datetime-local"
                value={publishAt}
                onInput={(e) => setPublishAt((e.target as HTMLInputElement).value)}
              />
            </label>
            <button
              type="button"
              disabled={publishAt === ''}
              onClick={() => void act('publish', { ...withReason, publishAt: localToIso(publishAt) })}
            >
              {t('schedule')}
            </button>
          </>
        )}
      </div>
      <Notice notice={notice} />
    </section>
  );
}

const shown = (value: unknown): string =>
  value === null || value === undefined ? '—' : typeof value === 'string' ? value : JSON.stringify(value);

function DiffSection({ revision, against }: { revision: RevisionModel; against: string }) {
  const loaded = useLoad(
    () =>
      api.get<Diff>(`/policies/${revision.policy}/revisions/${revision.number}/diff${query({ against })}`),
    [revision.policy, revision.number, against],
  );
  const choose = (value: string) =>
    navigate(
      `/policies/${revision.policy}/revisions/${revision.number}${value === '' ? '' : `?against=${value}`}`,
      true,
    );
  const others = Array.from({ length: Math.max(revision.number + 2, 3) }, (_, i) => i + 1).filter(
    (n) => n !== revision.number,
  );
  return (
    <section aria-labelledby="diff-heading">
      <h2 id="diff-heading">{t('diff')}</h2>
      <label>
        {t('against')}
        <select value={against} onChange={(e) => choose((e.target as HTMLSelectElement).value)}>
          <option value="">—</option>
          {others.map((n) => (
            <option key={n} value={String(n)}>
              {t('revisionN', { n })}
            </option>
          ))}
        </select>
      </label>
      <Await loaded={loaded}>
        {(diff) => {
          const parts = [
            { label: t('statement'), part: diff.statement },
            ...diff.phases.map((phase) => ({ label: `${t('phase')} ${phase.key}`, part: phase })),
            ...diff.standingRules.map((rule) => ({ label: tv('rule', rule.on), part: rule })),
          ].filter(({ part }) => part.status !== 'unchanged');
          return (
            <>
              <p class="muted">
                {t('revisionN', { n: diff.against })} → {t('revisionN', { n: revision.number })}
              </p>
              {parts.length === 0 ? (
                <p>{t('noDifferences')}</p>
              ) : (
                <table class="diff">
                  <thead>
                    <tr>
                      <th scope="col">{t('phase')}</th>
                      <th scope="col">{t('change')}</th>
                      <th scope="col">{t('before')}</th>
                      <th scope="col">{t('after')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {parts.flatMap(({ label, part }) =>
                      (part.changes.length > 0 ? part.changes : [{ field: '', old: null, new: null }]).map(
                        (change, index) => (
                          <tr key={`${label}-${index}`}>
                            <th scope="row">{index === 0 ? label : ''}</th>
                            <td>
                              <span class={`diff-${part.status}`}>{tv('diff', part.status)}</span>{' '}
                              {change.field}
                            </td>
                            <td>
                              <del>{shown(change.old)}</del>
                            </td>
                            <td>
                              <ins>{shown(change.new)}</ins>
                            </td>
                          </tr>
                        ),
                      ),
                    )}
                  </tbody>
                </table>
              )}
            </>
          );
        }}
      </Await>
    </section>
  );
}

function ImpactSection({ revision }: { revision: RevisionModel }) {
  const loaded = useLoad(
    () => api.get<Impact>(`/policies/${revision.policy}/revisions/${revision.number}/impact`),
    [revision.policy, revision.number, revision.status],
  );
  return (
    <section aria-labelledby="impact-heading">
      <h2 id="impact-heading">{t('impact')}</h2>
      <p class="muted">{t('impactLead')}</p>
      <Await loaded={loaded}>
        {(impact) =>
          impact.changes.length === 0 ? (
            <p>{t('impactNone')}</p>
          ) : (
            <>
              <ImpactTimeline impact={impact} />
              <table class="impact">
                <thead>
                  <tr>
                    <th scope="col">{t('service')}</th>
                    <th scope="col">{t('population')}</th>
                    <th scope="col">{t('when')}</th>
                    <th scope="col">{t('change')}</th>
                    <th scope="col">{t('why')}</th>
                  </tr>
                </thead>
                <tbody>
                  {impact.changes.map((change, index) => (
                    <tr key={index}>
                      <td>
                        <a href={`/services/${change.service}`}>{change.service}</a>
                      </td>
                      <td>{change.population}</td>
                      <td>{instant(change.at)}</td>
                      <td>
                        <LevelBadge level={change.from} /> → <LevelBadge level={change.to} />
                      </td>
                      <td>{sourceText(change.source)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )
        }
      </Await>
    </section>
  );
}

/** The impact's instants on a small time line: one dot per change, grouped by day. */
function ImpactTimeline({ impact }: { impact: Impact }) {
  const days = new Map<string, number>();
  for (const change of impact.changes) {
    days.set(date(change.at), (days.get(date(change.at)) ?? 0) + 1);
  }
  const sorted = [...days.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  return (
    <figure class="impact-timeline">
      <figcaption>{t('impactTimeline')}</figcaption>
      <ol>
        {sorted.map(([day, count]) => (
          <li key={day}>
            <span class="dot" aria-hidden="true" />
            <strong>{day}</strong> · {count}
          </li>
        ))}
      </ol>
    </figure>
  );
}
