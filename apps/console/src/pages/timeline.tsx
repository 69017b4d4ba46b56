import { DateTime } from 'luxon';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, query } from '../api';
import { Await, Legend, LevelBadge, useLoad } from '../components';
import { date, displayZone, instant, relative, setDisplayZone, tentative } from '../format';
import { t, tv } from '../i18n';
import { type Location, navigate } from '../router';
import { postponementSourceText } from './postponements';
import {
  type Band,
  type Filters,
  type Lane,
  LEVEL_ORDER,
  type Mark,
  rowsFor,
  type Timeline,
  type TimelineService,
} from '../timeline-model';

const ROW = 44;
/** Rows drawn above and below the visible ones, so a quick scroll shows no gap. */
const OVERSCAN = 6;

type Selected =
  | { kind: 'band'; service: TimelineService; lane: Lane; band: Band }
  | { kind: 'mark'; service: TimelineService; mark: Mark };

function filtersFrom(params: URLSearchParams): Filters {
  const group = params.get('group');
  return {
    q: params.get('q') ?? '',
    tag: params.get('tag') ?? '',
    owner: params.get('owner') ?? '',
    population: params.get('population') ?? '',
    level: params.get('level') ?? '',
    group: group === 'tag' || group === 'owner' ? group : '',
  };
}

export function TimelinePage({ location }: { location: Location }) {
  const asOf = location.params.get('asOf') ?? '';
  const filters = filtersFrom(location.params);
  const loaded = useLoad(async () => {
    const [shown, live] = await Promise.all([
      api.get<Timeline>(`/timeline${query({ asOf })}`),
      asOf === '' ? Promise.resolve(null) : api.get<Timeline>('/timeline'),
    ]);
    const zone = shown.policies[0]?.timezone;
    if (zone) {
      setDisplayZone(zone);
    }
    return { shown, live };
  }, [asOf]);
  const setParam = (changes: Record<string, string>) => {
    const next = new URLSearchParams(location.params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === '') {
        next.delete(key);
      } else {
        next.set(key, value);
      }
    }
    const search = next.toString();
    navigate(`/timeline${search === '' ? '' : `?${search}`}`, true);
  };
  return (
    <section class="timeline-page">
      <h1>{t('navTimeline')}</h1>
      <Await loaded={loaded}>
        {({ shown, live }) => (
          <TimelineView timeline={shown} live={live} filters={filters} asOf={asOf} setParam={setParam} />
        )}
      </Await>
    </section>
  );
}

function TimelineView({
  timeline,
  live,
  filters,
  asOf,
  setParam,
}: {
  timeline: Timeline;
  live: Timeline | null;
  filters: Filters;
  asOf: string;
  setParam: (changes: Record<string, string>) => void;
}) {
  const [selected, setSelected] = useState<Selected | null>(null);
  // For the benchmark (bench/console-timeline.bench.ts): when the first rows are on screen.
  useEffect(() => {
    performance.mark('stepwise:timeline-rendered');
  }, []);
  const { rows, shown } = useMemo(() => rowsFor(timeline, filters), [timeline, filters]);
  const liveById = useMemo(() => new Map((live?.services ?? []).map((s) => [s.id, s])), [live]);
  const tags = useMemo(() => [...new Set(timeline.services.flatMap((s) => s.tags))].sort(), [timeline]);
  const owners = useMemo(
    () => [...new Set(timeline.services.map((s) => s.owner).filter((o): o is string => o !== null))].sort(),
    [timeline],
  );
  const populations = useMemo(
    () => [...new Set(timeline.policies.flatMap((p) => p.populations))],
    [timeline],
  );
  const from = Date.parse(timeline.from);
  const span = Date.parse(timeline.to) - from;
  const x = (iso: string) => ((Date.parse(iso) - from) / span) * 100;
  return (
    <>
      <form class="filters" aria-label={t('filters')} onSubmit={(event) => event.preventDefault()}>
        <label>
          {t('asOf')}
          <input
            type="date"
            value={asOf}
            aria-describedby="as-of-help"
            onChange={(event) => setParam({ asOf: (event.target as HTMLInputElement).value })}
          />
        </label>
        {asOf !== '' && (
          <button type="button" onClick={() => setParam({ asOf: '' })}>
            {t('asOfClear')}
          </button>
        )}
        <label>
          {t('search')}
          <input
            type="search"
            value={filters.q}
            placeholder={t('searchPlaceholder')}
            onInput={(event) => setParam({ q: (event.target as HTMLInputElement).value })}
          />
        </label>
        <Choice label={t('tag')} value={filters.tag} options={tags} onChange={(tag) => setParam({ tag })} />
        <Choice
          label={t('owner')}
          value={filters.owner}
          options={owners}
          onChange={(owner) => setParam({ owner })}
        />
        <Choice
          label={t('population')}
          value={filters.population}
          options={populations}
          onChange={(population) => setParam({ population })}
        />
        <Choice
          label={t('level')}
          value={filters.level}
          options={LEVEL_ORDER}
          show={(level) => tv('level', level)}
          onChange={(level) => setParam({ level })}
        />
        <Choice
          label={t('groupBy')}
          value={filters.group}
          options={['tag', 'owner']}
          show={(group) => (group === 'tag' ? t('tag') : t('owner'))}
          none={t('nothing')}
          onChange={(group) => setParam({ group })}
        />
      </form>
      <p id="as-of-help" class="muted">
        {t('asOfHelp')} {live && t('ghostNote')}
      </p>
      <p class="count" role="status">
        {t('servicesShown', { n: shown, total: timeline.services.length })}
      </p>
      <Legend />
      <div class="timeline" role="group" aria-label={t('navTimeline')}>
        <Axis timeline={timeline} x={x} />
        <VirtualRows
          rows={rows}
          render={(service) => (
            <ServiceRow
              service={service}
              ghost={liveById.get(service.id)}
              population={filters.population}
              x={x}
              onSelect={setSelected}
            />
          )}
          overlay={<Markers timeline={timeline} x={x} />}
        />
      </div>
      {selected && <Details selected={selected} onClose={() => setSelected(null)} />}
    </>
  );
}

function Choice({
  label,
  value,
  options,
  onChange,
  show = (option) => option,
  none = t('all'),
}: {
  label: string;
  value: string;
  options: string[];
  onChange: (value: string) => void;
  show?: (option: string) => string;
  none?: string;
}) {
  return (
    <label>
      {label}
      <select value={value} onChange={(event) => onChange((event.target as HTMLSelectElement).value)}>
        <option value="">{none}</option>
        {options.map((option) => (
          <option key={option} value={option}>
            {show(option)}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Month ticks in the policy's zone, labelled every quarter (with the year in January). */
function Axis({ timeline, x }: { timeline: Timeline; x: (iso: string) => number }) {
  const ticks = useMemo(() => {
    const zone = displayZone();
    const end = DateTime.fromISO(timeline.to, { zone });
    const found: { iso: string; label: string; major: boolean }[] = [];
    for (
      let at = DateTime.fromISO(timeline.from, { zone }).startOf('month').plus({ months: 1 });
      at < end;
      at = at.plus({ months: 1 })
    ) {
      if ((at.month - 1) % 3 !== 0) {
        continue;
      }
      found.push({
        iso: at.toUTC().toISO() ?? '',
        label: at.month === 1 ? at.toFormat('yyyy') : at.toFormat('M'),
        major: at.month === 1,
      });
    }
    return found;
  }, [timeline]);
  return (
    <div class="axis" aria-hidden="true">
      <div class="axis-label" />
      <div class="axis-track">
        {ticks.map((tick) => (
          <span key={tick.iso} class={tick.major ? 'tick major' : 'tick'} style={{ left: `${x(tick.iso)}%` }}>
            {tick.label}
          </span>
        ))}
      </div>
    </div>
  );
}

/** Publications and today, across every row. */
function Markers({ timeline, x }: { timeline: Timeline; x: (iso: string) => number }) {
  return (
    <div class="markers" aria-hidden="true">
      {timeline.policies.flatMap((policy) =>
        policy.revisions.map((revision) => (
          <span
            key={`${policy.id}-${revision.number}`}
            class="marker revision"
            style={{ left: `${x(revision.publishAt)}%` }}
            title={`${t('revisionN', { n: revision.number })} ${instant(revision.publishAt)}`}
          >
            <span>{t('revisionShort', { n: revision.number })}</span>
          </span>
        )),
      )}
      <span class="marker today" style={{ left: `${x(timeline.now)}%` }}>
        <span>{t('today')}</span>
      </span>
      {timeline.asOf && (
        <span class="marker as-of" style={{ left: `${x(timeline.asOf)}%` }}>
          <span>{t('asOf')}</span>
        </span>
      )}
    </div>
  );
}

/** Draws only the rows in view (and a few around), however many services there are. */
function VirtualRows({
  rows,
  render,
  overlay,
}: {
  rows: ReturnType<typeof rowsFor>['rows'];
  render: (service: TimelineService) => preact.JSX.Element;
  overlay: preact.JSX.Element;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 600 });
  useEffect(() => {
    const element = scroller.current;
    if (!element) {
      return;
    }
    const update = () => setView({ top: element.scrollTop, height: element.clientHeight });
    update();
    element.addEventListener('scroll', update, { passive: true });
    window.addEventListener('resize', update);
    return () => {
      element.removeEventListener('scroll', update);
      window.removeEventListener('resize', update);
    };
  }, []);
  const first = Math.max(0, Math.floor(view.top / ROW) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((view.top + view.height) / ROW) + OVERSCAN);
  return (
    <div class="rows" ref={scroller} tabIndex={-1}>
      <div class="rows-content" style={{ height: `${rows.length * ROW}px` }}>
        {overlay}
        {rows.slice(first, last).map((row, index) => {
          const top = (first + index) * ROW;
          return row.kind === 'group' ? (
            <div key={`g-${row.label}`} class="row group" style={{ top: `${top}px` }}>
              <h2>
                {row.label} <span class="muted">({row.count})</span>
              </h2>
            </div>
          ) : (
            <div key={row.service.id} class="row" style={{ top: `${top}px` }}>
              {render(row.service)}
            </div>
          );
        })}
      </div>
    </div>
  );
}

function sourceText(source: { kind: string; phase?: string; rule?: string; until?: string }): string {
  if (source.kind === 'postponement') {
    return postponementSourceText(source);
  }
  return tv('source', source.kind, {
    phase: source.phase ?? '',
    rule: source.rule ? tv('rule', source.rule) : '',
  });
}

function ServiceRow({
  service,
  ghost,
  population,
  x,
  onSelect,
}: {
  service: TimelineService;
  ghost: TimelineService | undefined;
  population: string;
  x: (iso: string) => number;
  onSelect: (selected: Selected) => void;
}) {
  const lanes = service.lanes.filter((lane) => population === '' || lane.population === population);
  const ghostLanes = (ghost?.lanes ?? []).filter(
    (lane) => population === '' || lane.population === population,
  );
  return (
    <>
      <div class="row-label">
        <a href={`/services/${service.id}`}>{service.name}</a>
        <span class="muted">{service.id}</span>
      </div>
      <div class="track">
        {lanes.map((lane, laneIndex) => (
          <div key={`${lane.policy}-${lane.population}`} class="lane" data-population={lane.population}>
            {ghostLanes[laneIndex]?.bands.map((band) => (
              <span
                key={`ghost-${band.from}`}
                class={`band ghost level-${band.level}`}
                style={{ left: `${x(band.from)}%`, width: `${x(band.to) - x(band.from)}%` }}
              />
            ))}
            {lane.bands.map((band) => (
              <button
                type="button"
                key={band.from}
                class={`band level-${band.level}`}
                style={{ left: `${x(band.from)}%`, width: `${x(band.to) - x(band.from)}%` }}
                aria-label={`${service.name}, ${lane.population}: ${tv('level', band.level)}, ${date(band.from)} – ${date(band.to)}`}
                title={`${lane.population}: ${tv('level', band.level)} · ${sourceText(band.source)}`}
                onClick={() => onSelect({ kind: 'band', service, lane, band })}
              >
                <span class="band-text">{tv('level', band.level)}</span>
              </button>
            ))}
          </div>
        ))}
        {service.marks.map((mark) =>
          mark.drawAt === null ? null : (
            <button
              type="button"
              key={`${mark.policy}-${mark.phase}`}
              class={`mark mark-${mark.state} ${mark.at === null ? 'mark-tentative' : ''}`}
              style={{ left: `${x(mark.drawAt)}%` }}
              aria-label={`${service.name}: ${mark.phase} ${markLabel(mark)}`}
              onClick={() => onSelect({ kind: 'mark', service, mark })}
            >
              {markLabel(mark)}
            </button>
          ),
        )}
      </div>
    </>
  );
}

function markLabel(mark: Mark): string {
  const when = mark.tentative !== null ? tentative(mark.tentative) : date(mark.at);
  if (mark.state === 'suspended') {
    return `${t('suspended')} · ${when}`;
  }
  if (mark.state === 'cancelled') {
    return `${t('cancelled')} · ${when}`;
  }
  return when;
}

function Details({ selected, onClose }: { selected: Selected; onClose: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [selected]);
  const { service } = selected;
  return (
    <aside class="details" aria-labelledby="details-heading">
      <h2 id="details-heading" tabIndex={-1} ref={heading}>
        {t('why')}: <a href={`/services/${service.id}`}>{service.name}</a>
      </h2>
      {selected.kind === 'band' ? (
        <dl>
          <dt>{t('population')}</dt>
          <dd>{selected.lane.population}</dd>
          <dt>{t('level')}</dt>
          <dd>
            <LevelBadge level={selected.band.level} />
          </dd>
          <dt>{t('from')}</dt>
          <dd>{instant(selected.band.from)}</dd>
          <dt>{t('to')}</dt>
          <dd>{instant(selected.band.to)}</dd>
          <dt>{t('source')}</dt>
          <dd>{sourceText(selected.band.source)}</dd>
          <dt>{t('since')}</dt>
          <dd>
            {instant(selected.band.since)}{' '}
            {selected.band.since && t('relativeNote', { relative: relative(selected.band.since) })}
          </dd>
          {selected.band.revision !== null && (
            <>
              <dt>{t('revisions')}</dt>
              <dd>
                <a href={`/policies/${selected.lane.policy}/revisions/${selected.band.revision}`}>
                  {t('revisionN', { n: selected.band.revision })}
                </a>
              </dd>
            </>
          )}
        </dl>
      ) : (
        <dl>
          <dt>{t('phase')}</dt>
          <dd>
            {selected.mark.phase}: {selected.mark.title}
          </dd>
          <dt>{t('state')}</dt>
          <dd>{tv('state', selected.mark.state)}</dd>
          <dt>{t('effective')}</dt>
          <dd>
            {selected.mark.tentative !== null
              ? tentative(selected.mark.tentative)
              : instant(selected.mark.at)}
          </dd>
          <dt>{t('level')}</dt>
          <dd>
            <LevelBadge level={selected.mark.level} />
          </dd>
          {selected.mark.stateReason && (
            <>
              <dt>{t('reason')}</dt>
              <dd>{selected.mark.stateReason}</dd>
            </>
          )}
          <dt>{t('revisions')}</dt>
          <dd>
            <a href={`/policies/${selected.mark.policy}/revisions/${selected.mark.revision}`}>
              {t('revisionN', { n: selected.mark.revision })}
            </a>
          </dd>
        </dl>
      )}
      <button type="button" onClick={onClose}>
        {t('close')}
      </button>
    </aside>
  );
}
