import { api, type Person, query } from '../api';
import { Await, Notice, useAction, useLoad } from '../components';
import { date, instant } from '../format';
import { language, t, tv } from '../i18n';
import { type Location, navigate } from '../router';
import { Pager } from './pager';

// MFA adoption as Stepwise knows it: the latest snapshot per population, their history, and the
// devices lent to people without a phone (issue 20).

interface Snapshot {
  id: string;
  population: string;
  asOf: string;
  eligible: number;
  registered: number;
  covered: number;
  exempt: number;
  source: string;
}

interface Overview {
  asOf: string;
  latest?: Snapshot[];
  totals: { eligible: number; registered: number; covered: number; exempt: number };
}

interface Loan {
  id: string;
  serial: string;
  borrower: string;
  population: string;
  issuedAt: string;
  dueAt: string;
  returnedAt: string | null;
  state: 'active' | 'overdue' | 'returned';
}

const LOAN_STATES = ['active', 'overdue', 'returned'] as const;

/** The share gates compare: of the eligible people who are not exempt. */
function share(count: number, row: { eligible: number; exempt: number }): string {
  const denominator = row.eligible - row.exempt;
  const percent =
    denominator <= 0
      ? '—'
      : new Intl.NumberFormat(language(), { style: 'percent', maximumFractionDigits: 1 }).format(
          count / denominator,
        );
  return t('adoptionShare', { count: count.toLocaleString(language()), share: percent });
}

function Counts({ row }: { row: { eligible: number; registered: number; covered: number; exempt: number } }) {
  return (
    <>
      <td class="number">{row.eligible.toLocaleString(language())}</td>
      <td class="number">{row.exempt.toLocaleString(language())}</td>
      <td class="number">{share(row.registered, row)}</td>
      <td class="number">{share(row.covered, row)}</td>
    </>
  );
}

function CountHeads() {
  return (
    <>
      <th scope="col">{t('adoptionEligible')}</th>
      <th scope="col">{t('adoptionExempt')}</th>
      <th scope="col">{t('adoptionRegistered')}</th>
      <th scope="col">{t('adoptionCovered')}</th>
    </>
  );
}

export function AdoptionPage({ person, location }: { person: Person; location: Location }) {
  const cursor = location.params.get('cursor') ?? '';
  const overview = useLoad(() => api.get<Overview>('/adoption'), []);
  const history = useLoad(
    () =>
      api.get<{ items: Snapshot[]; nextCursor: string | null }>(
        `/adoption/snapshots${query({ cursor, limit: 20 })}`,
      ),
    [cursor],
  );
  return (
    <section>
      <h1>{t('adoptionTitle')}</h1>
      <p class="muted">{t('adoptionHelp')}</p>
      <section aria-labelledby="adoption-latest">
        <h2 id="adoption-latest">{t('adoptionLatest')}</h2>
        <Await loaded={overview}>
          {(answer) =>
            (answer.latest ?? []).length === 0 ? (
              <p>{t('adoptionNone')}</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('adoptionPopulation')}</th>
                    <th scope="col">{t('adoptionAsOf')}</th>
                    <CountHeads />
                    <th scope="col">{t('adoptionSource')}</th>
                  </tr>
                </thead>
                <tbody>
                  {(answer.latest ?? []).map((row) => (
                    <tr key={row.id}>
                      <th scope="row">{row.population}</th>
                      <td>{instant(row.asOf)}</td>
                      <Counts row={row} />
                      <td>{row.source}</td>
                    </tr>
                  ))}
                  <tr>
                    <th scope="row">{t('adoptionTotals')}</th>
                    <td />
                    <Counts row={answer.totals} />
                    <td />
                  </tr>
                </tbody>
              </table>
            )
          }
        </Await>
      </section>
      <section aria-labelledby="adoption-history">
        <h2 id="adoption-history">{t('adoptionHistory')}</h2>
        <Await loaded={history}>
          {(page) => (
            <>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('adoptionAsOf')}</th>
                    <th scope="col">{t('adoptionPopulation')}</th>
                    <CountHeads />
                    <th scope="col">{t('adoptionSource')}</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((row) => (
                    <tr key={row.id}>
                      <td>{instant(row.asOf)}</td>
                      <td>{row.population}</td>
                      <Counts row={row} />
                      <td>{row.source}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <Pager location={location} nextCursor={page.nextCursor} />
            </>
          )}
        </Await>
      </section>
      <Loans person={person} location={location} />
    </section>
  );
}

function Loans({ person, location }: { person: Person; location: Location }) {
  const state = location.params.get('loans') ?? '';
  const canLend = person.role === 'planner' || person.role === 'admin';
  const loaded = useLoad(
    () =>
      api.get<{ items: Loan[]; nextCursor: string | null; inventory: Record<string, number> }>(
        `/loans${query({ state, limit: 100 })}`,
      ),
    [state],
  );
  const { notice, act } = useAction(() => loaded.reload());
  const filter = (value: string) => {
    const params = new URLSearchParams(location.params);
    if (value === '') {
      params.delete('loans');
    } else {
      params.set('loans', value);
    }
    const search = params.toString();
    navigate(`${location.path}${search === '' ? '' : `?${search}`}`);
  };
  return (
    <section aria-labelledby="adoption-loans">
      <h2 id="adoption-loans">{t('adoptionLoans')}</h2>
      <p class="muted">{t('adoptionLoansHelp')}</p>
      <Notice notice={notice} />
      <Await loaded={loaded}>
        {(page) => (
          <>
            <ul class="counts" aria-label={t('adoptionState')}>
              <li>
                <a
                  href="/adoption"
                  aria-current={state === '' ? 'true' : undefined}
                  onClick={(event) => {
                    event.preventDefault();
                    filter('');
                  }}
                >
                  {t('adoptionAllStates')}
                </a>
              </li>
              {LOAN_STATES.map((name) => (
                <li key={name}>
                  <a
                    href={`/adoption?loans=${name}`}
                    aria-current={state === name ? 'true' : undefined}
                    onClick={(event) => {
                      event.preventDefault();
                      filter(name);
                    }}
                  >
                    {tv('adoptionLoanState', name)} <strong>{page.inventory[name] ?? 0}</strong>
                  </a>
                </li>
              ))}
            </ul>
            {page.items.length === 0 ? (
              <p>{t('adoptionNoLoans')}</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('adoptionSerial')}</th>
                    <th scope="col">{t('adoptionBorrower')}</th>
                    <th scope="col">{t('adoptionPopulation')}</th>
                    <th scope="col">{t('adoptionIssued')}</th>
                    <th scope="col">{t('adoptionDue')}</th>
                    <th scope="col">{t('adoptionState')}</th>
                    {canLend && <th scope="col">{t('noticeActions')}</th>}
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((loan) => (
                    <tr key={loan.id}>
                      <td>{loan.serial}</td>
                      <td>{loan.borrower}</td>
                      <td>{loan.population}</td>
                      <td>{date(loan.issuedAt)}</td>
                      <td>{date(loan.dueAt)}</td>
                      <td>
                        <strong>{tv('adoptionLoanState', loan.state)}</strong>
                      </td>
                      {canLend && (
                        <td>
                          {loan.state !== 'returned' && (
                            <button
                              type="button"
                              onClick={() =>
                                void act(async () => {
                                  await api.post(`/loans/${loan.id}/return`, {});
                                  return t('adoptionReturned', { serial: loan.serial });
                                })
                              }
                            >
                              {t('adoptionReturn')}
                              <span class="visually-hidden"> {loan.serial}</span>
                            </button>
                          )}
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        )}
      </Await>
      {canLend && (
        <form
          class="card editor"
          onSubmit={(event) => {
            event.preventDefault();
            const form = event.currentTarget;
            const data = Object.fromEntries(new FormData(form).entries()) as Record<string, string>;
            void act(async () => {
              const lent = await api.post<Loan>('/loans', data);
              form.reset();
              return t('adoptionLent', { serial: lent.serial });
            });
          }}
        >
          <h3>{t('adoptionLend')}</h3>
          <label class="block">
            {t('adoptionSerial')}
            <input type="text" name="serial" required maxLength={100} />
          </label>
          <label class="block">
            {t('adoptionBorrower')}
            <input type="text" name="borrower" required maxLength={200} />
          </label>
          <label class="block">
            {t('adoptionPopulation')}
            <input type="text" name="population" required maxLength={63} />
          </label>
          <label class="block">
            {t('adoptionDue')}
            <input type="date" name="dueAt" required />
          </label>
          <button type="submit">{t('adoptionLendButton')}</button>
        </form>
      )}
    </section>
  );
}
