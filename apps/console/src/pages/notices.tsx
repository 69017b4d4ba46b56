import { api, type Person, query } from '../api';
import { Await, LevelBadge, Notice, useAction, useLoad } from '../components';
import { instant, tentative } from '../format';
import { t, tv } from '../i18n';
import type { Location } from '../router';
import { applyFilters, Pager } from './pager';

// Contacts of a service (on its page) and the notices outbox (its own page): who is told, what
// was planned, sent or superseded (issue 21).

interface Contact {
  id: string;
  name: string;
  email: string;
  language: 'ja' | 'en';
}

interface NoticeItem {
  id: string;
  policy: string;
  service: string;
  kind: string;
  status: string;
  level: string;
  transitionAt: string | null;
  tentative: string | null;
  cause: string;
  leadDays: number | null;
  dueAt: string;
  change: { previous?: { at: string | null; tentative: string | null } } | null;
  mails: { to: string; messageId: string; sentAt: string | null }[];
}

const when = (at: string | null, target: string | null): string =>
  at !== null ? instant(at) : target !== null ? tentative(target) : '';

/** The service page's contacts: planners, admins and the service's owners may add and remove. */
export function Contacts({ serviceId, person }: { serviceId: string; person: Person }) {
  const canEdit = person.role === 'planner' || person.role === 'admin' || person.role === 'service-owner';
  const loaded = useLoad(() => api.get<Contact[]>(`/services/${serviceId}/contacts`), [serviceId]);
  const { notice, act } = useAction(() => loaded.reload());
  return (
    <section aria-labelledby="contacts-heading">
      <h2 id="contacts-heading">{t('noticeContacts')}</h2>
      <p class="muted">{t('noticeContactsHelp')}</p>
      <Notice notice={notice} />
      <Await loaded={loaded}>
        {(contacts) =>
          contacts.length === 0 ? (
            <p>{t('noticeNoContacts')}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('noticeContactName')}</th>
                  <th scope="col">{t('noticeContactEmail')}</th>
                  <th scope="col">{t('noticeContactLanguage')}</th>
                  {canEdit && <th scope="col">{t('noticeActions')}</th>}
                </tr>
              </thead>
              <tbody>
                {contacts.map((contact) => (
                  <tr key={contact.id}>
                    <td>{contact.name}</td>
                    <td>{contact.email}</td>
                    <td>{tv('noticeLanguage', contact.language)}</td>
                    {canEdit && (
                      <td>
                        <button
                          type="button"
                          onClick={() =>
                            void act(async () => {
                              await api.delete(`/services/${serviceId}/contacts/${contact.id}`);
                              return t('noticeContactRemoved', { email: contact.email });
                            })
                          }
                        >
                          {t('noticeRemove')}
                          <span class="visually-hidden"> {contact.email}</span>
                        </button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Await>
      {canEdit && (
        <form
          class="card editor"
          onSubmit={(event) => {
            event.preventDefault();
            const form = event.currentTarget;
            const data = Object.fromEntries(new FormData(form).entries()) as Record<string, string>;
            void act(async () => {
              const added = await api.post<Contact>(`/services/${serviceId}/contacts`, data);
              form.reset();
              return t('noticeContactAdded', { email: added.email });
            });
          }}
        >
          <h3>{t('noticeAddContact')}</h3>
          <label class="block">
            {t('noticeContactName')}
            <input type="text" name="name" required maxLength={200} />
          </label>
          <label class="block">
            {t('noticeContactEmail')}
            <input type="email" name="email" required />
          </label>
          <label class="block">
            {t('noticeContactLanguage')}
            <select name="language">
              <option value="ja">{tv('noticeLanguage', 'ja')}</option>
              <option value="en">{tv('noticeLanguage', 'en')}</option>
            </select>
          </label>
          <button type="submit">{t('noticeAdd')}</button>
        </form>
      )}
    </section>
  );
}

const STATUSES = ['pending', 'dispatched', 'sent', 'superseded'];
const KINDS = ['upcoming', 'tentative', 'updated', 'cancelled'];

/** The notices outbox, newest first, filtered in the URL. */
export function NoticesPage({ location }: { person: Person; location: Location }) {
  const filters = {
    service: location.params.get('service') ?? '',
    status: location.params.get('status') ?? '',
    kind: location.params.get('kind') ?? '',
    cursor: location.params.get('cursor') ?? '',
  };
  const loaded = useLoad(
    () =>
      api.get<{ items: NoticeItem[]; nextCursor: string | null }>(
        `/notices${query({ ...filters, limit: 50 })}`,
      ),
    [filters.service, filters.status, filters.kind, filters.cursor],
  );
  return (
    <section>
      <h1>{t('noticeTitle')}</h1>
      <p class="muted">{t('noticeHelp')}</p>
      <form
        class="filters"
        onSubmit={(event) => {
          event.preventDefault();
          applyFilters(location, event.currentTarget);
        }}
      >
        <label>
          {t('noticeService')}
          <input type="text" name="service" value={filters.service} />
        </label>
        <label>
          {t('noticeStatus')}
          <select name="status" value={filters.status}>
            <option value="">{t('all')}</option>
            {STATUSES.map((status) => (
              <option key={status} value={status}>
                {tv('noticeStatus', status)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('noticeKind')}
          <select name="kind" value={filters.kind}>
            <option value="">{t('all')}</option>
            {KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {tv('noticeKind', kind)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t('noticeFilter')}</button>
      </form>
      <Await loaded={loaded}>
        {(page) => (
          <>
            {page.items.length === 0 ? (
              <p>{t('noticeNone')}</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('noticeDue')}</th>
                    <th scope="col">{t('noticeService')}</th>
                    <th scope="col">{t('noticeKind')}</th>
                    <th scope="col">{t('noticeTransition')}</th>
                    <th scope="col">{t('noticeStatus')}</th>
                    <th scope="col">{t('noticeMails')}</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((item) => (
                    <tr key={item.id}>
                      <td>{instant(item.dueAt)}</td>
                      <td>
                        <a href={`/services/${item.service}`}>{item.service}</a>
                        <p class="muted small">
                          {item.policy} · {item.cause}
                        </p>
                      </td>
                      <td>
                        {tv('noticeKind', item.kind)}
                        {item.leadDays !== null && (
                          <p class="muted small">{t('noticeLead', { days: item.leadDays })}</p>
                        )}
                      </td>
                      <td>
                        <LevelBadge level={item.level} /> {when(item.transitionAt, item.tentative)}
                        {item.change?.previous && (
                          <p class="muted small">
                            {t('noticeBefore', {
                              when: when(item.change.previous.at, item.change.previous.tentative),
                            })}
                          </p>
                        )}
                      </td>
                      <td>
                        <span class={`state state-${item.status}`}>{tv('noticeStatus', item.status)}</span>
                      </td>
                      <td>
                        {item.mails.map((mail) => (
                          <p key={mail.messageId} class="small">
                            {mail.to} · {mail.sentAt === null ? t('noticeNotSent') : instant(mail.sentAt)}
                          </p>
                        ))}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <Pager location={location} nextCursor={page.nextCursor} />
          </>
        )}
      </Await>
    </section>
  );
}
