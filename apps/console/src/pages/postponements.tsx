import { useState } from 'preact/hooks';
import { api, type Person, query } from '../api';
import { Notice, useAction, useLoad } from '../components';
import { date, instant } from '../format';
import { t, tv } from '../i18n';

// The service page's postponement section: the owner asks for more time on a phase that allows
// it; planners approve or reject open requests (not their own: the API refuses, four-eyes).

interface Postponement {
  id: string;
  policy: string;
  phase: string;
  until: string;
  reason: string;
  status: string;
  requestedBy: string;
  requestedAt: string;
  decidedBy: string | null;
  decisionReason: string | null;
  decidedAt: string | null;
}

interface PostponablePhase {
  policy: string;
  key: string;
  at: string;
  cap: string;
}

interface PhaseOfPlan {
  key: string;
  state?: string;
  effective: { at?: string };
  scope: { services?: string[]; except?: string[] };
  postponeUntilMax?: string;
}

/** Phases of each policy's newest revision that allow postponement and may apply to the service. */
async function postponablePhases(serviceId: string): Promise<PostponablePhase[]> {
  const policies = await api.get<{ id: string; latestPublished: number | null }[]>('/policies');
  const found: PostponablePhase[] = [];
  for (const policy of policies) {
    if (policy.latestPublished === null) {
      continue;
    }
    const revision = await api.get<{ phases: PhaseOfPlan[] }>(
      `/policies/${policy.id}/revisions/${policy.latestPublished}`,
    );
    for (const phase of revision.phases) {
      const excluded =
        (phase.scope.services !== undefined && !phase.scope.services.includes(serviceId)) ||
        (phase.scope.except ?? []).includes(serviceId);
      if (
        (phase.state ?? 'active') === 'active' &&
        phase.effective.at &&
        phase.postponeUntilMax &&
        !excluded
      ) {
        found.push({
          policy: policy.id,
          key: phase.key,
          at: phase.effective.at,
          cap: phase.postponeUntilMax,
        });
      }
    }
  }
  return found;
}

export const postponementSourceText = (source: { phase?: string; until?: string }): string =>
  t('postponementSource', { phase: source.phase ?? '', until: date(source.until) });

export function Postponements({ serviceId, person }: { serviceId: string; person: Person }) {
  const owner = person.role === 'service-owner';
  const planner = person.role === 'planner';
  const loaded = useLoad(async () => {
    const [requests, phases] = await Promise.all([
      api.get<{ items: Postponement[] }>(`/postponements${query({ service: serviceId })}`),
      owner ? postponablePhases(serviceId) : Promise.resolve([]),
    ]);
    return { requests: requests.items, phases };
  }, [serviceId]);
  const { notice, act } = useAction(() => loaded.reload());
  if (loaded.data === undefined) {
    return null;
  }
  const { requests, phases } = loaded.data;
  return (
    <section aria-labelledby="postponements-heading">
      <h2 id="postponements-heading">{t('postponements')}</h2>
      <p class="muted">{t('postponementsHelp')}</p>
      {owner && <AskForm serviceId={serviceId} phases={phases} act={act} />}
      <Notice notice={notice} />
      <h3>{t('postponementRequests')}</h3>
      {requests.length === 0 ? (
        <p>{t('postponementNone')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('postponementAsked')}</th>
              <th scope="col">{t('postponementPhase')}</th>
              <th scope="col">{t('postponementUntilShort')}</th>
              <th scope="col">{t('postponementBy')}</th>
              <th scope="col">{t('postponementStatus')}</th>
              <th scope="col">{t('postponementDecision')}</th>
            </tr>
          </thead>
          <tbody>
            {requests.map((request) => (
              <tr key={request.id}>
                <td>{instant(request.requestedAt)}</td>
                <td>
                  {request.policy} · {request.phase}
                  <p class="muted small">{request.reason}</p>
                </td>
                <td>{date(request.until)}</td>
                <td>{request.requestedBy}</td>
                <td>
                  <span class={`state state-${request.status}`}>
                    {tv('postponementStatus', request.status)}
                  </span>
                </td>
                <td>
                  {request.status === 'requested' && (planner || owner) ? (
                    <Decide
                      request={request}
                      act={act}
                      decisions={planner ? ['approve', 'reject'] : ['withdraw']}
                    />
                  ) : (
                    request.decidedBy && (
                      <>
                        {request.decidedBy} · {instant(request.decidedAt)}
                        <p class="muted small">{request.decisionReason}</p>
                      </>
                    )
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function AskForm({
  serviceId,
  phases,
  act,
}: {
  serviceId: string;
  phases: PostponablePhase[];
  act: (work: () => Promise<string>) => Promise<void>;
}) {
  const [choice, setChoice] = useState(0);
  if (phases.length === 0) {
    return <p>{t('postponementNoPhase')}</p>;
  }
  const phase = phases[Math.min(choice, phases.length - 1)];
  return (
    <form
      class="card editor"
      onSubmit={(event) => {
        event.preventDefault();
        const form = event.currentTarget;
        const data = Object.fromEntries(new FormData(form).entries()) as Record<string, string>;
        void act(async () => {
          const sent = await api.post<Postponement>(`/services/${serviceId}/postponements`, {
            policy: phase.policy,
            phase: phase.key,
            until: data.until ?? '',
            reason: data.reason ?? '',
          });
          form.reset();
          return t('postponementSent', { id: sent.id });
        });
      }}
    >
      <h3>{t('postponementAsk')}</h3>
      <label class="block">
        {t('postponementPhase')}
        <select name="phase" onChange={(event) => setChoice(Number(event.currentTarget.value))}>
          {phases.map((option, index) => (
            <option key={`${option.policy}/${option.key}`} value={index}>
              {t('postponementPhaseOption', {
                policy: option.policy,
                phase: option.key,
                at: option.at,
                cap: option.cap,
              })}
            </option>
          ))}
        </select>
      </label>
      <label class="block">
        {t('postponementUntil')}
        <input type="date" name="until" required max={phase.cap.slice(0, 10)} />
      </label>
      <label class="block">
        {t('postponementReason')}
        <textarea name="reason" required rows={3} />
      </label>
      <button type="submit">{t('postponementSend')}</button>
    </form>
  );
}

type Decision = 'approve' | 'reject' | 'withdraw';
const DECISION_LABEL = {
  approve: 'postponementApprove',
  reject: 'postponementReject',
  withdraw: 'postponementWithdraw',
} as const;

/** Planners approve or reject; an owner may withdraw their own open request (the API checks whose). */
function Decide({
  request,
  act,
  decisions,
}: {
  request: Postponement;
  act: (work: () => Promise<string>) => Promise<void>;
  decisions: Decision[];
}) {
  const [reason, setReason] = useState('');
  const decide = (decision: Decision) =>
    act(async () => {
      const decided = await api.post<Postponement>(`/postponements/${request.id}/${decision}`, { reason });
      return t('postponementDecided', { id: decided.id, status: tv('postponementStatus', decided.status) });
    });
  return (
    <div class="inline-editor">
      <label>
        <span class="visually-hidden">{t('postponementDecisionReason', { id: request.id })}</span>
        <input
          type="text"
          value={reason}
          required
          placeholder={t('postponementDecisionPlaceholder')}
          onInput={(event) => setReason(event.currentTarget.value)}
        />
      </label>
      {decisions.map((decision) => (
        <button key={decision} type="button" onClick={() => void decide(decision)}>
          {t(DECISION_LABEL[decision])}
        </button>
      ))}
    </div>
  );
}
