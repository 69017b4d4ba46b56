import { gzipSync } from 'node:zlib';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { Clock } from '@stepwise/common/clock';
import { canSeeService, type Principal } from '@stepwise/common/principal';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import { toIso, toIsoOrNull } from '@stepwise/domain/dates';
import { type TimelineBand, type TimelineMark, serviceTimeline } from '@stepwise/domain/timeline';
import { type CompiledPlan, PlanSnapshot } from '@stepwise/plan-snapshot/plan-snapshot';
import { readInstantParams } from '../requirements/query-instants';
import type { TimelineDto, TimelineQueryDto, TimelineServiceDto } from './timeline.dto';

const DAY_MS = 86_400_000;

interface Label {
  name: string;
  owner: string | null;
}

/** One computed timeline: every service's, before narrowing to what a caller may see. */
interface Computed {
  key: string;
  head: Omit<TimelineDto, 'services'>;
  services: TimelineServiceDto[];
  /** The whole answer, as sent to everyone who sees every service: serialised and gzipped once. */
  whole?: Encoded;
}

/** An answer ready to send: its JSON, and the same gzipped (about a twentieth of the size). */
export interface Encoded {
  json: string;
  gzip: Buffer | null;
}

/** Smaller answers are not worth the gzip's time. */
const GZIP_FROM_BYTES = 8 * 1024;

/**
 * The live timeline is kept and sent many times: worth gzip's default level. An asOf answer is
 * computed for one person looking back: level 1 costs about a third of the time for a slightly
 * larger body (figures in docs/benchmarks.md).
 */
function encode(answer: TimelineDto, level: 1 | 6): Encoded {
  const json = JSON.stringify(answer);
  return { json, gzip: json.length >= GZIP_FROM_BYTES ? gzipSync(json, { level }) : null };
}

const band = (b: TimelineBand) => ({
  from: toIso(b.from),
  to: toIso(b.to),
  level: b.level,
  revision: b.revision,
  source: b.source,
  since: toIsoOrNull(b.since),
});

const mark = (m: TimelineMark) => ({
  ...m,
  at: toIsoOrNull(m.at),
  drawAt: toIsoOrNull(m.drawAt),
});

/**
 * The console's timeline: each service's level over time, from the in-memory plan. A result is
 * kept until the plan changes, asOf differs or the day turns (the window ends a year after today),
 * so a console reloading the page costs a lookup, not a recomputation.
 */
@Injectable()
export class TimelineService {
  private readonly zone: string;
  private readonly kept = new Map<string, Computed>();
  private labels: { version: string; byId: Map<string, Label> } | null = null;

  constructor(
    private readonly snapshot: PlanSnapshot,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.zone = config.get('STEPWISE_TIMEZONE', { infer: true });
  }

  /**
   * The timeline the principal may see, encoded: for unscoped roles the kept encoding (a reload
   * costs a lookup), for service owners their own rows, encoded per request (a few rows).
   */
  async timeline(principal: Principal, query: TimelineQueryDto): Promise<Encoded> {
    const now = this.clock.nowMs();
    const asOf = query.asOf === undefined ? null : readInstantParams(query, { asOf: now }, this.zone).asOf;
    const plan = await this.snapshot.current();
    const computed = await this.computed(plan, asOf, now);
    if (principal.services === null) {
      computed.whole ??= encode({ ...computed.head, services: computed.services }, asOf === null ? 6 : 1);
      return computed.whole;
    }
    return encode(
      {
        ...computed.head,
        services: computed.services.filter((service) => canSeeService(principal, service.id)),
      },
      1,
    );
  }

  private async computed(plan: CompiledPlan, asOf: number | null, now: number): Promise<Computed> {
    const day = Math.floor(now / DAY_MS);
    const key = `${plan.version}|${asOf ?? 'live'}|${day}`;
    const kept = this.kept.get(key);
    if (kept !== undefined) {
      return kept;
    }
    const labels = await this.labelsFor(plan.version);
    const known = asOf ?? now;
    const firstInstant = Math.min(now, ...plan.policies.flatMap((policy) => policy.instants));
    const from = firstInstant - 31 * DAY_MS;
    const to = (day + 366) * DAY_MS;
    const window = { from, to, asOf, now };
    const services = [...plan.services.values()]
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((service): TimelineServiceDto => {
        const { lanes, marks } = serviceTimeline(plan.policies, service, window);
        const label = labels.get(service.id);
        return {
          id: service.id,
          name: label?.name ?? service.id,
          owner: label?.owner ?? null,
          tags: [...service.tags],
          lanes: lanes.map((lane) => ({ ...lane, bands: lane.bands.map(band) })),
          marks: marks.map(mark),
        };
      });
    const computed: Computed = {
      key,
      head: {
        from: toIso(from),
        to: toIso(to),
        now: toIso(now),
        asOf: toIsoOrNull(asOf),
        policies: plan.policies.map((policy) => ({
          id: policy.policy.id,
          title: policy.policy.title,
          timezone: policy.policy.timezone,
          populations: [...policy.policy.populations],
          revisions: policy.revisions
            .filter((revision) => revision.publishAt <= known || revision.recordedAt <= known)
            .map((revision) => ({ number: revision.number, publishAt: toIso(revision.publishAt) })),
        })),
      },
      services,
    };
    // A handful of keys at most (live, a few asOf dates people look at): keep the newest.
    if (this.kept.size >= 8) {
      this.kept.delete(this.kept.keys().next().value as string);
    }
    this.kept.set(key, computed);
    return computed;
  }

  /** Names and owners change with the directory, which changes the plan's version too. */
  private async labelsFor(version: string): Promise<Map<string, Label>> {
    if (this.labels?.version === version) {
      return this.labels.byId;
    }
    const rows = await this.dataSource.query<{ id: string; name: string; owner: string | null }[]>(
      'SELECT id, name, owner FROM services',
    );
    const byId = new Map(rows.map((row) => [row.id, { name: row.name, owner: row.owner }]));
    this.labels = { version, byId };
    return byId;
  }
}
