import { api, itemsOf, type Person } from '../api';
import { Await, StatusBadge, useLoad } from '../components';
import { instant, setDisplayZone } from '../format';
import { t } from '../i18n';
import type { PolicyModel, RevisionModel } from '../revision-model';

/** Every revision of a policy, newest first, with its status. */
export function RevisionsPage({ policyId, person }: { policyId: string; person: Person }) {
  const loaded = useLoad(async () => {
    const [policy, revisions] = await Promise.all([
      api.get<PolicyModel>(`/policies/${policyId}`),
      api.get<RevisionModel[] | { items: RevisionModel[] }>(`/policies/${policyId}/revisions`).then(itemsOf),
    ]);
    setDisplayZone(policy.timezone);
    return { policy, revisions: [...revisions].sort((a, b) => b.number - a.number) };
  }, [policyId]);
  return (
    <Await loaded={loaded}>
      {({ policy, revisions }) => (
        <section>
          <h1>
            {t('revisions')}: {policy.title}
          </h1>
          {person.role === 'planner' && policy.activeRevision !== null && (
            <p>
              <a class="button" href={`/policies/${policy.id}/revisions/${policy.activeRevision}/edit`}>
                {t('startDraft', { n: policy.activeRevision })}
              </a>
            </p>
          )}
          <table>
            <thead>
              <tr>
                <th scope="col">{t('number')}</th>
                <th scope="col">{t('status')}</th>
                <th scope="col">{t('summary')}</th>
                <th scope="col">{t('author')}</th>
                <th scope="col">{t('approvedBy')}</th>
                <th scope="col">{t('publishAt')}</th>
              </tr>
            </thead>
            <tbody>
              {revisions.map((revision) => (
                <tr key={revision.number}>
                  <td>
                    <a href={`/policies/${policy.id}/revisions/${revision.number}`}>
                      {t('revisionN', { n: revision.number })}
                    </a>
                  </td>
                  <td>
                    <StatusBadge status={revision.status} />
                    {policy.activeRevision === revision.number && <span class="pill">{t('active')}</span>}
                  </td>
                  <td>{revision.summary}</td>
                  <td>{revision.author.name}</td>
                  <td>{revision.approvedBy?.name ?? '—'}</td>
                  <td>{instant(revision.publishAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </Await>
  );
}
