import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@stepwise/common/clock';
import { DomainError, ErrorCode } from '@stepwise/common/domain-error';
import { canSeeService, type Principal } from '@stepwise/common/principal';
import { ServiceRepository } from './service.repository';
import { toServiceView, type ServiceView } from './service-view';

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

  async list(principal: Principal): Promise<ServiceView[]> {
    const manager = this.dataSource.manager;
    const services = await this.services.findServices(manager, principal.services);
    const histories = await this.services.findCapabilityHistories(
      manager,
      services.map((service) => service.id),
    );
    const now = this.clock.now().toJSDate();
    return services.map((service) => toServiceView(service, histories.get(service.id) ?? [], now));
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
