import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, type Person } from '../api';
import { Await, errorText, Notice, useLoad } from '../components';
import { setDisplayZone } from '../format';
import { t, tv } from '../i18n';
import type { PhaseModel, PolicyModel, RevisionModel, StandingRuleModel } from '../revision-model';
import { navigate, setLeaveGuard } from '../router';

interface Draft {
  summary: string;
  reason: string;
  sourceUrl: string;
  publishAt: string;
  mandatorySince: string;
  phases: PhaseModel[];
  standingRules: StandingRuleModel[];
}

const list = (text: string): string[] =>
  text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);

function draftFrom(revision: RevisionModel): Draft {
  return {
    summary: '',
    reason: '',
    sourceUrl: revision.sourceUrl ?? '',
    publishAt: '',
    mandatorySince: revision.mandatory?.since ?? '',
    phases: structuredClone(revision.phases),
    standingRules: structuredClone(revision.standingRules),
  };
}

function body(draft: Draft): Record<string, unknown> {
  return {
    summary: draft.summary,
    reason: draft.reason,
    ...(draft.sourceUrl.trim() ? { sourceUrl: draft.sourceUrl.trim() } : {}),
    ...(draft.publishAt.trim() ? { publishAt: draft.publishAt.trim() } : {}),
    ...(draft.mandatorySince.trim() ? { mandatory: { since: draft.mandatorySince.trim() } } : {}),
    phases: draft.phases,
    standingRules: draft.standingRules,
  };
}

/**
 * Starts a draft from a revision (usually the active one); saving creates it as a new draft.
 * Revisions never change once stored, drafts included: to change one's own draft, a planner starts
 * a new one from it, and the editor withdraws the old one once the new one is saved ("replaced by
 * draft N"), so that one draft stands for the change.
 */
export function DraftEditorPage({
  policyId,
  from,
  person,
}: {
  policyId: string;
  from: number;
  person: Person;
}) {
  const loaded = useLoad(async () => {
    const [policy, revision] = await Promise.all([
      api.get<PolicyModel>(`/policies/${policyId}`),
      api.get<RevisionModel>(`/policies/${policyId}/revisions/${from}`),
    ]);
    setDisplayZone(policy.timezone);
    return { policy, revision };
  }, [policyId, from]);
  return (
    <section>
      <h1>
        {t('editDraft')}: {t('startDraft', { n: from })}
      </h1>
      {person.role !== 'planner' ? (
        <p class="notice notice-error">{t('forbiddenBody')}</p>
      ) : (
        <Await loaded={loaded}>
          {({ policy, revision }) => <Editor policy={policy} revision={revision} person={person} />}
        </Await>
      )}
    </section>
  );
}

function Editor({
  policy,
  revision,
  person,
}: {
  policy: PolicyModel;
  revision: RevisionModel;
  person: Person;
}) {
  const [draft, setDraft] = useState<Draft>(() => draftFrom(revision));
  // Starting from one's own draft is editing it: the old one is withdrawn once this one is saved.
  const replacing = revision.status === 'draft' && revision.author.id === person.id;
  const [replace, setReplace] = useState(replacing);
  const [dirty, setDirty] = useState(false);
  const [errors, setErrors] = useState<Map<string, string>>(new Map());
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  useEffect(() => {
    setLeaveGuard(dirty ? () => window.confirm(t('unsaved')) : null);
    return () => setLeaveGuard(null);
  }, [dirty]);
  const update = (change: (draft: Draft) => void) => {
    setDraft((current) => {
      const next = structuredClone(current);
      change(next);
      return next;
    });
    setDirty(true);
  };
  const save = async (event: Event) => {
    event.preventDefault();
    try {
      const created = await api.post<{ number: number }>(`/policies/${policy.id}/revisions`, body(draft));
      setDirty(false);
      setLeaveGuard(null);
      if (replacing && replace) {
        await api
          .post(`/policies/${policy.id}/revisions/${revision.number}/withdraw`, {
            reason: t('replacedBy', { n: created.number }),
          })
          // The new draft is saved either way; its page shows the old one's state.
          .catch(() => undefined);
      }
      navigate(`/policies/${policy.id}/revisions/${created.number}`);
    } catch (error) {
      if (error instanceof ApiError && error.fields.length > 0) {
        setErrors(new Map(error.fields.map((field) => [field.field, field.message])));
        setNotice({ kind: 'error', text: t('fixErrors') });
      } else {
        setNotice({ kind: 'error', text: errorText(error) });
      }
    }
  };
  const field = (path: string) => {
    const message = errors.get(path);
    return message === undefined
      ? {}
      : { 'aria-invalid': true as const, 'aria-describedby': `err-${path.replace(/[^\w-]/g, '_')}` };
  };
  const ErrorFor = ({ path }: { path: string }) => {
    const message = errors.get(path);
    return message === undefined ? null : (
      <span class="field-error" id={`err-${path.replace(/[^\w-]/g, '_')}`}>
        {message}
      </span>
    );
  };
  const text = (
    label: string,
    path: string,
    value: string,
    set: (value: string) => void,
    attrs: Record<string, unknown> = {},
  ) => (
    <label class="block">
      {label}
      <input
        type="text"
        value={value}
        onInput={(e) => set((e.target as HTMLInputElement).value)}
        {...field(path)}
        {...attrs}
      />
      <ErrorFor path={path} />
    </label>
  );
  return (
    <form class="editor" onSubmit={(e) => void save(e)} noValidate>
      <Notice notice={notice} />
      {[...errors.entries()]
        .filter(([path]) => !KNOWN_PATH.test(path))
        .map(([path, message]) => (
          <p key={path} class="field-error">
            {path}: {message}
          </p>
        ))}
      <fieldset>
        <legend>{t('summary')}</legend>
        {text(t('summary'), 'summary', draft.summary, (v) => update((d) => void (d.summary = v)), {
          required: true,
        })}
        <label class="block">
          {t('reason')}
          <textarea
            value={draft.reason}
            rows={3}
            onInput={(e) => update((d) => void (d.reason = (e.target as HTMLTextAreaElement).value))}
            {...field('reason')}
          />
          <ErrorFor path="reason" />
        </label>
        {text(t('sourceLink'), 'sourceUrl', draft.sourceUrl, (v) => update((d) => void (d.sourceUrl = v)))}
        {text(t('publishAt'), 'publishAt', draft.publishAt, (v) => update((d) => void (d.publishAt = v)), {
          placeholder: '2027-04-01',
        })}
        {text(t('mandatory'), 'mandatory.since', draft.mandatorySince, (v) =>
          update((d) => void (d.mandatorySince = v)),
        )}
      </fieldset>
      {draft.phases.map((phase, index) => (
        <PhaseFields
          key={index}
          phase={phase}
          index={index}
          text={text}
          update={(change) => update((d) => change(d.phases[index]))}
          remove={() => update((d) => void d.phases.splice(index, 1))}
        />
      ))}
      <p>
        <button
          type="button"
          onClick={() =>
            update(
              (d) =>
                void d.phases.push({
                  key: `step-${d.phases.length + 1}`,
                  title: '',
                  effective: { tentative: '' },
                  scope: { services: [] },
                  enforcement: 'enforce',
                  state: 'active',
                }),
            )
          }
        >
          {t('addPhase')}
        </button>
      </p>
      <fieldset>
        <legend>{t('standingRules')}</legend>
        {draft.standingRules.map((rule, index) => (
          <div class="rule-row" key={index}>
            <label>
              {t('ruleOn')}
              <select
                value={rule.on}
                onChange={(e) =>
                  update((d) => void (d.standingRules[index].on = (e.target as HTMLSelectElement).value))
                }
              >
                <option value="mfa-ready">{tv('rule', 'mfa-ready')}</option>
                <option value="service-introduced">{tv('rule', 'service-introduced')}</option>
              </select>
            </label>
            {text(t('ruleSince'), `standingRules[${index}].since`, rule.since ?? '', (v) =>
              update((d) => {
                const target = d.standingRules[index];
                if (v === '') {
                  delete target.since;
                } else {
                  target.since = v;
                }
              }),
            )}
            <button type="button" onClick={() => update((d) => void d.standingRules.splice(index, 1))}>
              {t('removePhase')}
            </button>
            <ErrorFor path={`standingRules[${index}]`} />
          </div>
        ))}
        <button type="button" onClick={() => update((d) => void d.standingRules.push({ on: 'mfa-ready' }))}>
          {t('addRule')}
        </button>
      </fieldset>
      {replacing && (
        <p>
          <label>
            <input
              type="checkbox"
              checked={replace}
              onChange={(e) => setReplace((e.target as HTMLInputElement).checked)}
            />{' '}
            {t('withdrawReplaced', { n: revision.number })}
          </label>
        </p>
      )}
      <p>
        <button type="submit" class="primary">
          {t('saveDraft')}
        </button>
      </p>
    </form>
  );
}

const KNOWN_PATH =
  /^(summary|reason|sourceUrl|publishAt|mandatory\.since|phases\[\d+\]\.(key|title|effective|effective\.at|effective\.tentative|scope|scope\.services|scope\.except|scope\.selector|scope\.selector\.mfaCapability|scope\.selector\.tags|scope\.populations|enforcement|state|stateReason|postponeUntilMax)|standingRules\[\d+\](\.since)?)$/;

type TextField = (
  label: string,
  path: string,
  value: string,
  set: (value: string) => void,
  attrs?: Record<string, unknown>,
) => preact.JSX.Element;

function PhaseFields({
  phase,
  index,
  text,
  update,
  remove,
}: {
  phase: PhaseModel;
  index: number;
  text: TextField;
  update: (change: (phase: PhaseModel) => void) => void;
  remove: () => void;
}) {
  const at = `phases[${index}]`;
  const confirmed = phase.effective.at !== undefined;
  const bySelector = phase.scope.selector !== undefined;
  return (
    <fieldset class="phase">
      <legend>
        {t('phase')} {phase.key || index + 1}
      </legend>
      {text(t('key'), `${at}.key`, phase.key, (v) => update((p) => void (p.key = v)))}
      {text(t('title'), `${at}.title`, phase.title, (v) => update((p) => void (p.title = v)))}
      <div class="radios" role="radiogroup" aria-label={t('effective')}>
        <label>
          <input
            type="radio"
            checked={confirmed}
            onChange={() => update((p) => void (p.effective = { at: p.effective.tentative ?? '' }))}
          />
          {t('confirmed')}
        </label>
        <label>
          <input
            type="radio"
            checked={!confirmed}
            onChange={() =>
              update((p) => {
                p.effective = { tentative: p.effective.at ?? '' };
                // Only a confirmed phase may be postponed.
                delete p.postponeUntilMax;
              })
            }
          />
          {t('tentativeMonth')}
        </label>
      </div>
      {confirmed
        ? text(
            t('confirmed'),
            `${at}.effective.at`,
            phase.effective.at ?? '',
            (v) => update((p) => void (p.effective = { at: v })),
            { placeholder: '2027-04-01' },
          )
        : text(
            t('tentativeMonth'),
            `${at}.effective.tentative`,
            phase.effective.tentative ?? '',
            (v) => update((p) => void (p.effective = { tentative: v })),
            { placeholder: '2027-05' },
          )}
      <div class="radios" role="radiogroup" aria-label={t('scopeKind')}>
        <label>
          <input
            type="radio"
            checked={!bySelector}
            onChange={() =>
              update(
                (p) =>
                  void (p.scope = { services: [], except: p.scope.except, populations: p.scope.populations }),
              )
            }
          />
          {t('byServices')}
        </label>
        <label>
          <input
            type="radio"
            checked={bySelector}
            onChange={() =>
              update(
                (p) =>
                  void (p.scope = { selector: {}, except: p.scope.except, populations: p.scope.populations }),
              )
            }
          />
          {t('bySelector')}
        </label>
      </div>
      {!bySelector &&
        text(t('servicesList'), `${at}.scope.services`, (phase.scope.services ?? []).join(', '), (v) =>
          update((p) => void (p.scope.services = list(v))),
        )}
      {bySelector && (
        <>
          <label class="block">
            {t('selectorCapability')}
            <select
              value={phase.scope.selector?.mfaCapability ?? ''}
              onChange={(e) =>
                update((p) => {
                  const value = (e.target as HTMLSelectElement).value;
                  p.scope.selector = { ...p.scope.selector, mfaCapability: value === '' ? undefined : value };
                  if (value === '') {
                    delete p.scope.selector.mfaCapability;
                  }
                })
              }
            >
              <option value="">{t('anyReadiness')}</option>
              <option value="ready">{t('mfaReady')}</option>
              <option value="not-ready">{t('mfaNotReady')}</option>
            </select>
          </label>
          {text(
            t('selectorTags'),
            `${at}.scope.selector.tags`,
            (phase.scope.selector?.tags ?? []).join(', '),
            (v) =>
              update((p) => {
                const tags = list(v);
                p.scope.selector = { ...p.scope.selector, tags };
                if (tags.length === 0) {
                  delete p.scope.selector.tags;
                }
              }),
          )}
        </>
      )}
      {text(t('exceptList'), `${at}.scope.except`, (phase.scope.except ?? []).join(', '), (v) =>
        update((p) => {
          const except = list(v);
          if (except.length === 0) {
            delete p.scope.except;
          } else {
            p.scope.except = except;
          }
        }),
      )}
      {text(
        t('populationsList'),
        `${at}.scope.populations`,
        (phase.scope.populations ?? []).join(', '),
        (v) =>
          update((p) => {
            const populations = list(v);
            if (populations.length === 0) {
              delete p.scope.populations;
            } else {
              p.scope.populations = populations;
            }
          }),
      )}
      <label class="block">
        {t('enforcement')}
        <select
          value={phase.enforcement}
          onChange={(e) => update((p) => void (p.enforcement = (e.target as HTMLSelectElement).value))}
        >
          {['enforce', 'warn', 'report-only'].map((mode) => (
            <option key={mode} value={mode}>
              {tv('enforcement', mode)}
            </option>
          ))}
        </select>
      </label>
      <label class="block">
        {t('phaseState')}
        <select
          value={phase.state}
          onChange={(e) => update((p) => void (p.state = (e.target as HTMLSelectElement).value))}
        >
          {['active', 'suspended', 'cancelled'].map((state) => (
            <option key={state} value={state}>
              {tv('state', state)}
            </option>
          ))}
        </select>
      </label>
      {text(t('stateReason'), `${at}.stateReason`, phase.stateReason ?? '', (v) =>
        update((p) => {
          if (v === '') {
            delete p.stateReason;
          } else {
            p.stateReason = v;
          }
        }),
      )}
      {text(t('noticeInstructionsUrl'), `${at}.instructionsUrl`, phase.instructionsUrl ?? '', (v) =>
        update((p) => {
          if (v === '') {
            delete p.instructionsUrl;
          } else {
            p.instructionsUrl = v;
          }
        }),
      )}
      {confirmed &&
        text(t('postponementCap'), `${at}.postponeUntilMax`, phase.postponeUntilMax ?? '', (v) =>
          update((p) => {
            if (v === '') {
              delete p.postponeUntilMax;
            } else {
              p.postponeUntilMax = v;
            }
          }),
        )}
      <button type="button" onClick={remove}>
        {t('removePhase')}
      </button>
    </fieldset>
  );
}
