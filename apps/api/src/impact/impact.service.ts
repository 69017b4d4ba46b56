import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Clock } from '@stepwise/common/clock';
import { DomainError } from '@stepwise/common/domain-error';
import { toIso } from '@stepwise/domain/dates';
import { impactOfDraft } from '@stepwise/domain/impact';
import type { RevisionPlan } from '@stepwise/domain/plan.types';
import { PlanSnapshot } from '@stepwise/plan-snapshot/plan-snapshot';
import { RevisionEntity } from '@stepwise/persistence/revision.entity';
import type { ImpactDto } from './impact.dto';

/** What-if: the levels revision n would change (or, published, did change) against the plan without it. */
@Injectable()
export class ImpactService {
  constructor(
    @InjectRepository(RevisionEntity) private readonly revisions: Repository<RevisionEntity>,
    private readonly snapshot: PlanSnapshot,
    private readonly clock: Clock,
  ) {}

  async of(policyId: string, number: number): Promise<ImpactDto> {
    const revision = await this.revisions.findOne({ where: { policyId, number } });
    if (!revision) {
      throw DomainError.notFound('revision', `${policyId}/${number}`);
    }
    const plan = await this.snapshot.current();
    const source = plan.sources.find((p) => p.policy.id === policyId);
    if (!source) {
      throw DomainError.notFound('policy', policyId);
    }
    const now = this.clock.now().toMillis();
    const plannedAt = revision.publishAt?.getTime() ?? null;
    // A published revision is compared with the one it replaced, from its own publishAt (past or
    // future): what publishing it changed. Any other with the plan in force without it, from its
    // takeover (its future publishAt, or now).
    const isPublished = revision.status === 'published' && plannedAt !== null;
    const takeover = isPublished ? plannedAt : plannedAt !== null && plannedAt > now ? plannedAt : now;
    const others = source.revisions.filter((r) => r.number !== number);
    const published = isPublished ? others.filter((r) => r.number < number) : others;
    const changes = impactOfDraft({
      policy: source.policy,
      published,
      draft: { plan: revision.plan as unknown as RevisionPlan, publishAt: takeover },
      services: [...plan.services.values()],
      now,
    });
    const inForce = isPublished
      ? published.at(-1)
      : published.filter((r) => Date.parse(r.publishAt) <= now).at(-1);
    return {
      policy: policyId,
      revision: number,
      status: revision.status,
      against: inForce?.number ?? null,
      takesOverAt: toIso(takeover),
      changes,
    };
  }
}
