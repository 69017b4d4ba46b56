import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@stepwise/common/clock';
import { DomainError } from '@stepwise/common/domain-error';
import { DEFAULT_PAGE_LIMIT, type Page, PageCursor, type PageRequest } from '@stepwise/common/page-cursor';
import type { Principal } from '@stepwise/common/principal';
import { AdoptionSnapshotRepository, type StoredSnapshotView } from './adoption-snapshot.repository';

export interface AdoptionTotals {
  eligible: number;
  registered: number;
  covered: number;
  exempt: number;
}

export interface AdoptionOverview {
  asOf: string;
  /** Newest snapshot per population; absent for a service owner, who sees the totals only. */
  latest?: StoredSnapshotView[];
  totals: AdoptionTotals;
}

const HISTORY_CURSOR = new PageCursor('adoption-history', ['string', 'string'] as const);

/** `GET /adoption`: the newest snapshot per population, and the history in keyset pages. */
@Injectable()
export class AdoptionQuery {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly snapshots: AdoptionSnapshotRepository,
  ) {}

  async overview(principal: Principal, asOfMs?: number): Promise<AdoptionOverview> {
    const asOf = new Date(asOfMs ?? this.clock.nowMs());
    const latest = await this.snapshots.latest(this.dataSource.manager, asOf);
    const totals = latest.reduce(
      (sum, s) => ({
        eligible: sum.eligible + s.eligible,
        registered: sum.registered + s.registered,
        covered: sum.covered + s.covered,
        exempt: sum.exempt + s.exempt,
      }),
      { eligible: 0, registered: 0, covered: 0, exempt: 0 },
    );
    const totalsOnly = principal.role === 'service-owner';
    return totalsOnly ? { asOf: asOf.toISOString(), totals } : { asOf: asOf.toISOString(), latest, totals };
  }

  async history(request: PageRequest & { population?: string }): Promise<Page<StoredSnapshotView>> {
    const limit = request.limit ?? DEFAULT_PAGE_LIMIT;
    const key = request.cursor === undefined ? undefined : HISTORY_CURSOR.decode(request.cursor);
    if (key !== undefined && (Number.isNaN(Date.parse(key[0])) || !/^[0-9]{1,18}$/.test(key[1]))) {
      throw DomainError.validation([
        { field: 'cursor', message: 'malformed cursor; pass nextCursor as returned' },
      ]);
    }
    const rows = await this.snapshots.history(this.dataSource.manager, {
      population: request.population,
      before: key === undefined ? undefined : { asOf: key[0], id: key[1] },
      limit: limit + 1,
    });
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items,
      nextCursor:
        rows.length > limit && last !== undefined ? HISTORY_CURSOR.encode([last.asOf, last.id]) : null,
    };
  }
}
