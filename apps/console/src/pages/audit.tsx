import { useState } from 'preact/hooks';
import { api, query } from '../api';
import { Await, errorText, Notice, useLoad } from '../components';
import { instant, localToIso } from '../format';
import { t } from '../i18n';
import type { Location } from '../router';
import { applyFilters, Pager } from './pager';

interface AuditEvent {
  seq: number;
  occurredAt: string;
  actor: { id: string; name: string; role: string };
  action: string;
  resourceType: string;
  resourceId: string;
  before: unknown;
  after: unknown;
  reason: string | null;
  outcome: string;
}

const FILTERS = ['action', 'resourceType', 'resourceId', 'actor', 'from', 'to'] as const;

/** The audit history with filters, keyset pages, each event's before and after, and verification. */
export function AuditPage({ location }: { location: Location }) {
  const params = Object.fromEntries(FILTERS.map((name) => [name, location.params.get(name) ?? '']));
  const cursor = location.params.get('cursor') ?? '';
  const apiParams = {
    ...params,
    from: params.from ? localToIso(params.from) : '',
    to: params.to ? localToIso(params.to) : '',
  };
  const loaded = useLoad(
    () =>
      api.get<{ items: AuditEvent[]; nextCursor: string | null }>(
        `/audit${query({ ...apiParams, cursor, limit: 50 })}`,
      ),
    [location.params.toString()],
  );
  return (
    <section>
      <h1>{t('audit')}</h1>
      <form
        class="filters"
        aria-label={t('filters')}
        onSubmit={(event) => {
          event.preventDefault();
          applyFilters(location, event.currentTarget);
        }}
      >
        <label>
          {t('action')}
          <input name="action" value={params.action} placeholder="revision.approved" />
        </label>
        <label>
          {t('resource')}
          <input name="resourceType" value={params.resourceType} placeholder="revision" />
        </label>
        <label>
          {t('id')}
          <input name="resourceId" value={params.resourceId} placeholder="mfa-mandatory/3" />
        </label>
        <label>
          {t('actor')}
          <input name="actor" value={params.actor} />
        </label>
        <label>
          {t('from')}
          <input name="from" type="date" value={params.from} />
        </label>
        <label>
          {t('to')}
          <input name="to" type="date" value={params.to} />
        </label>
        <button type="submit">{t('apply')}</button>
        <a class="button" href="/audit">
          {t('reset')}
        </a>
      </form>
      <Verify />
      <p>
        {t('export')}:{' '}
        <a href={`/api/v1/audit/export${query({ ...apiParams, format: 'csv' })}`} download="audit.csv">
          CSV
        </a>{' '}
        ·{' '}
        <a href={`/api/v1/audit/export${query({ ...apiParams, format: 'ndjson' })}`} download="audit.ndjson">
          NDJSON
        </a>
      </p>
      <Await loaded={loaded}>
        {(page) =>
          page.items.length === 0 ? (
            <p>{t('noEvents')}</p>
          ) : (
            <>
              <table class="audit">
                <thead>
                  <tr>
                    <th scope="col">#</th>
                    <th scope="col">{t('occurredAt')}</th>
                    <th scope="col">{t('actor')}</th>
                    <th scope="col">{t('action')}</th>
                    <th scope="col">{t('resource')}</th>
                    <th scope="col">{t('outcome')}</th>
                    <th scope="col">{t('details')}</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((event) => (
                    <tr key={event.seq}>
                      <td>{event.seq}</td>
                      <td>{instant(event.occurredAt)}</td>
                      <td>
                        {event.actor.name} <span class="muted small">{event.actor.role}</span>
                      </td>
                      <td>{event.action}</td>
                      <td>
                        {event.resourceType} {event.resourceId}
                      </td>
                      <td>{event.outcome}</td>
                      <td>
                        <details>
                          <summary>{t('details')}</summary>
                          {event.reason && (
                            <p>
                              {t('reason')}: {event.reason}
                            </p>
                          )}
                          <ChangeTable before={event.before} after={event.after} />
                        </details>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <Pager location={location} nextCursor={page.nextCursor} />
            </>
          )
        }
      </Await>
    </section>
  );
}

/** Before and after, field by field: changed fields first and marked. */
function ChangeTable({ before, after }: { before: unknown; after: unknown }) {
  const flat = (value: unknown): Record<string, string> =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(
          Object.entries(value).map(([key, v]) => [key, typeof v === 'string' ? v : JSON.stringify(v)]),
        )
      : value === null || value === undefined
        ? {}
        : { value: JSON.stringify(value) };
  const a = flat(before);
  const b = flat(after);
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(
    (x, y) => Number(a[x] === b[x]) - Number(a[y] === b[y]) || (x < y ? -1 : 1),
  );
  return (
    <table class="change-table">
      <thead>
        <tr>
          <th scope="col">{t('key')}</th>
          <th scope="col">{t('before')}</th>
          <th scope="col">{t('after')}</th>
        </tr>
      </thead>
      <tbody>
        {keys.map((key) => (
          <tr key={key} class={a[key] === b[key] ? 'same' : 'changed'}>
            <th scope="row">{key}</th>
            <td>{a[key] === undefined ? '—' : <del>{a[key]}</del>}</td>
            <td>{b[key] === undefined ? '—' : <ins>{b[key]}</ins>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Verify() {
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const verify = async () => {
    try {
      const result = await api.get<{
        ok: boolean;
        checked?: number;
        headSeq?: number;
        headHash?: string;
        firstBadSeq?: number;
      }>('/audit/verify');
      setNotice(
        result.ok
          ? {
              kind: 'ok',
              text: t('chainOk', {
                checked: result.checked ?? 0,
                seq: result.headSeq ?? 0,
                hash: result.headHash ?? '',
              }),
            }
          : { kind: 'error', text: t('chainBad', { seq: result.firstBadSeq ?? '?' }) },
      );
    } catch (error) {
      setNotice({ kind: 'error', text: errorText(error) });
    }
  };
  return (
    <div class="verify">
      <button type="button" onClick={() => void verify()}>
        {t('verifyChain')}
      </button>
      <Notice notice={notice} />
    </div>
  );
}
