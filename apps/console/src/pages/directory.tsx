import { useState } from 'preact/hooks';
import { ApiError, api, itemsOf, type Person, query } from '../api';
import { Await, errorText, Notice, useLoad } from '../components';
import { date, localToIso } from '../format';
import { t } from '../i18n';
import type { Location } from '../router';
import { applyFilters, Pager } from './pager';
import type { ServiceView } from './service';

type Page = ServiceView[] | { items: ServiceView[]; nextCursor?: string | null };

/** The service directory: search, pages, and for planners creation, edits and readiness changes. */
export function DirectoryPage({ person, location }: { person: Person; location: Location }) {
  const q = location.params.get('q') ?? '';
  const cursor = location.params.get('cursor') ?? '';
  const planner = person.role === 'planner' || person.role === 'admin';
  const loaded = useLoad(() => api.get<Page>(`/services${query({ q, cursor, limit: 50 })}`), [q, cursor]);
  return (
    <section>
      <h1>{t('directory')}</h1>
      <form
        class="filters"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          applyFilters(location, event.currentTarget);
        }}
      >
        <label>
          {t('search')}
          <input type="search" name="q" value={q} placeholder={t('searchPlaceholder')} />
        </label>
        <button type="submit">{t('search')}</button>
      </form>
      {planner && <CreateService reload={loaded.reload} />}
      <Await loaded={loaded}>
        {(page) => (
          <>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('id')}</th>
                  <th scope="col">{t('name')}</th>
                  <th scope="col">{t('owner')}</th>
                  <th scope="col">{t('capability')}</th>
                  <th scope="col">{t('tags')}</th>
                  {planner && <th scope="col">{t('actions')}</th>}
                </tr>
              </thead>
              <tbody>
                {itemsOf(page).map((service) => (
                  <tr key={service.id}>
                    <td>
                      <a href={`/services/${service.id}`}>{service.id}</a>
                    </td>
                    <td>{service.name}</td>
                    <td>{service.owner ?? '—'}</td>
                    <td>
                      {service.mfaCapability === 'ready' ? t('mfaReady') : t('mfaNotReady')}
                      {service.readySince && <span class="muted small"> {date(service.readySince)}</span>}
                    </td>
                    <td>{service.tags.join(', ')}</td>
                    {planner && (
                      <td>
                        <EditService service={service} reload={loaded.reload} />
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
            <Pager location={location} nextCursor={Array.isArray(page) ? null : page.nextCursor} />
          </>
        )}
      </Await>
    </section>
  );
}

const list = (text: string) =>
  text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);

function FieldErrors({ error }: { error: unknown }) {
  if (!(error instanceof ApiError) || error.fields.length === 0) {
    return null;
  }
  return (
    <ul class="field-errors" role="alert">
      {error.fields.map((field) => (
        <li key={field.field}>
          <strong>{field.field}</strong>: {field.message}
        </li>
      ))}
    </ul>
  );
}

function CreateService({ reload }: { reload: () => void }) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [connector, setConnector] = useState('pull');
  const submit = async (form: HTMLFormElement) => {
    const data = Object.fromEntries(new FormData(form).entries()) as Record<string, string>;
    const body = {
      id: data.id,
      name: data.name,
      ...(data.owner ? { owner: data.owner } : {}),
      tags: list(data.tags ?? ''),
      mfaCapability: data.mfaCapability,
      ...(data.readySince ? { readySince: data.readySince } : {}),
      ...(data.introducedAt ? { introducedAt: data.introducedAt } : {}),
      connector:
        connector === 'pull' ? { type: 'pull' } : { type: 'webhook', url: data.url, secret: data.secret },
    };
    try {
      await api.post('/services', body);
      setError(null);
      setNotice({ kind: 'ok', text: t('created', { id: data.id }) });
      form.reset();
      reload();
    } catch (caught) {
      setError(caught);
      setNotice({ kind: 'error', text: errorText(caught) });
    }
  };
  if (!open) {
    return (
      <p>
        <button type="button" onClick={() => setOpen(true)}>
          {t('newService')}
        </button>
        <Notice notice={notice} />
      </p>
    );
  }
  return (
    <form
      class="card editor"
      onSubmit={(event) => {
        event.preventDefault();
        void submit(event.currentTarget);
      }}
    >
      <h2>{t('newService')}</h2>
      <label class="block">
        {t('id')}
        <input name="id" required pattern="[a-z0-9][a-z0-9-]{1,62}" />
      </label>
      <label class="block">
        {t('name')}
        <input name="name" required />
      </label>
      <label class="block">
        {t('owner')}
        <input name="owner" />
      </label>
      <label class="block">
        {t('tags')}
        <input name="tags" />
      </label>
      <label class="block">
        {t('capability')}
        <select name="mfaCapability">
          <option value="not-ready">{t('mfaNotReady')}</option>
          <option value="ready">{t('mfaReady')}</option>
        </select>
      </label>
      <label class="block">
        {t('readySince')}
        <input name="readySince" type="date" />
      </label>
      <label class="block">
        {t('introducedAt')}
        <input name="introducedAt" type="date" />
      </label>
      <label class="block">
        {t('connector')}
        <select value={connector} onChange={(e) => setConnector((e.target as HTMLSelectElement).value)}>
          <option value="pull">{t('connectorPull')}</option>
          <option value="webhook">{t('connectorWebhook')}</option>
        </select>
      </label>
      {connector === 'webhook' && (
        <>
          <label class="block">
            {t('webhookUrl')}
            <input name="url" type="url" />
          </label>
          <label class="block">
            {t('webhookSecret')}
            <input name="secret" type="password" autoComplete="off" />
          </label>
        </>
      )}
      <FieldErrors error={error} />
      <Notice notice={notice} />
      <p class="buttons">
        <button type="submit" class="primary">
          {t('create')}
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          {t('close')}
        </button>
      </p>
    </form>
  );
}

function EditService({ service, reload }: { service: ServiceView; reload: () => void }) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const act = async (change: () => Promise<unknown>) => {
    try {
      await change();
      setError(null);
      setNotice({ kind: 'ok', text: t('done') });
      reload();
    } catch (caught) {
      setError(caught);
      setNotice({ kind: 'error', text: errorText(caught) });
    }
  };
  if (!open) {
    return (
      <button type="button" onClick={() => setOpen(true)} aria-label={`${t('save')} ${service.id}`}>
        ✎
      </button>
    );
  }
  return (
    <div class="inline-editor">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const data = Object.fromEntries(new FormData(event.currentTarget).entries()) as Record<
            string,
            string
          >;
          void act(() =>
            api.patch(
              `/services/${service.id}`,
              { name: data.name, owner: data.owner || null, tags: list(data.tags ?? '') },
              service.version,
            ),
          );
        }}
      >
        <label class="block">
          {t('name')}
          <input name="name" value={service.name} />
        </label>
        <label class="block">
          {t('owner')}
          <input name="owner" value={service.owner ?? ''} />
        </label>
        <label class="block">
          {t('tags')}
          <input name="tags" value={service.tags.join(', ')} />
        </label>
        <button type="submit">{t('save')}</button>
      </form>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const data = Object.fromEntries(new FormData(event.currentTarget).entries()) as Record<
            string,
            string
          >;
          void act(() =>
            api.post(`/services/${service.id}/capability-changes`, {
              mfaCapability: data.mfaCapability,
              ...(data.effectiveAt ? { effectiveAt: localToIso(data.effectiveAt) } : {}),
            }),
          );
        }}
      >
        <fieldset>
          <legend>{t('readinessChange')}</legend>
          <label class="block">
            {t('capability')}
            <select name="mfaCapability" value={service.mfaCapability === 'ready' ? 'not-ready' : 'ready'}>
              <option value="ready">{t('mfaReady')}</option>
              <option value="not-ready">{t('mfaNotReady')}</option>
            </select>
          </label>
          <label class="block">
            {t('effectiveAt')}
            <input name="effectiveAt" type="datetime-local" />
          </label>
          <button type="submit">{t('record')}</button>
        </fieldset>
      </form>
      <FieldErrors error={error} />
      <Notice notice={notice} />
      <button type="button" onClick={() => setOpen(false)}>
        {t('close')}
      </button>
    </div>
  );
}
