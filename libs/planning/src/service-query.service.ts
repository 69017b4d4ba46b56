import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@stepwise/common/clock';
import { DomainError, ErrorCode } from '@stepwise/common/domain-error';
import { canSeeService, type Principal } from '@stepwise/common/principal';
import { Page, PageCursor, pageLimit, PageRequest, toPage } from '@stepwise/common/page-cursor';
import { ServiceRepository } from './service.repository';
import { toServiceView, type ServiceView } from './service-view';

export interface ServiceListRequest extends PageRequest {
  /** Substring of the id or the name, any case. */
  search?: string;
  /** Only services carrying this tag. */
  tag?: string;
}

const SERVICE_CURSOR = new PageCursor('services', ['string']);

/**
 * Reads of the directory. A principal limited to some services (a service owner) sees only
 * those: the list leaves the others out, and asking for one of them is 403 (DESIGN.md: 403 for
 * role or scope), decided before looking it up so the answer does not reveal whether it exists.
 */
@Injectable()
export class ServiceQuery {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly services: ServiceRepository,
  ) {}

  /** One page of the services the principal may see, by id (docs/adr/0100-list-paging.md). */
  async list(principal: Principal, request: ServiceListRequest): Promise<Page<ServiceView>> {
    const manager = this.dataSource.manager;
    const limit = pageLimit(request);
    const [afterId] = request.cursor === undefined ? [] : SERVICE_CURSOR.decode(request.cursor);
    // One row more than the page tells whether a next page exists.
    const services = await this.services.findServicesPage(manager, {
      scope: principal.services,
      afterId,
      search: request.search,
      tag: request.tag,
      limit: limit + 1,
    });
    const page = services.slice(0, limit);
    const histories = await this.services.findCapabilityHistories(
      manager,
      page.map((service) => service.id),
    );
    const now = this.clock.now().toJSDate();
    return toPage(
      services,
      limit,
      (service) => toServiceView(service, histories.get(service.id) ?? [], now),
      (last) => SERVICE_CURSOR.encode([last.id]),
    );
  }

  async get(principal: Principal, id: string): Promise<ServiceView> {
    if (!canSeeService(principal, id)) {
      throw new DomainError(ErrorCode.Forbidden, `this token is not scoped to service '${id}'`);
    }
    const manager = this.dataSource.manager;
    const service = await this.services.findService(manager, id);
    if (!service) {
      throw DomainError.notFound('service', id);
    }
    const histories = await this.services.findCapabilityHistories(manager, [id]);
    return toServiceView(service, histories.get(id) ?? [], this.clock.now().toJSDate());
  }
}
