import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type AuditContext, AuditLog } from '@stepwise/audit/audit-log';
import { Clock } from '@stepwise/common/clock';
import { DomainError, ErrorCode } from '@stepwise/common/domain-error';
import { canSeeService, type Principal } from '@stepwise/common/principal';
import { InputReader } from '@stepwise/domain/input-reader';
import { ServiceContactEntity } from '@stepwise/persistence/service-contact.entity';

export interface ContactView {
  id: string;
  service: string;
  name: string;
  email: string;
  language: 'ja' | 'en';
  createdAt: string;
}

const LANGUAGES = ['ja', 'en'] as const;
// Deliberately plain: one @, no spaces, a dot in the domain; the SMTP server has the last word.
const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

const toView = (contact: ServiceContactEntity): ContactView => ({
  id: contact.id,
  service: contact.serviceId,
  name: contact.name,
  email: contact.email,
  language: contact.language,
  createdAt: contact.createdAt.toISOString(),
});

function readContact(body: unknown): { name: string; email: string; language: 'ja' | 'en' } {
  const reader = new InputReader();
  const record = reader.record(body, '', ['name', 'email', 'language']);
  if (record === undefined) {
    throw DomainError.validation(reader.errors);
  }
  const name = reader.nonEmptyString(record.name, 'name');
  const email = reader.string(record.email, 'email');
  if (email !== undefined && (!EMAIL.test(email) || email.length > 254)) {
    reader.fail('email', 'must be an e-mail address (name@example.ac.jp)');
  }
  const language = reader.oneOf(record.language, 'language', LANGUAGES);
  if (name !== undefined && name.length > 200) {
    reader.fail('name', 'must be at most 200 characters');
  }
  if (reader.errors.length > 0 || name === undefined || email === undefined || language === undefined) {
    throw DomainError.validation(reader.errors);
  }
  return { name: name.trim(), email: email.toLowerCase(), language };
}

/** A service's contacts: planners and admins for any service, owners for their own. */
@Injectable()
export class ContactService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly auditLog: AuditLog,
    private readonly clock: Clock,
  ) {}

  private async assertService(principal: Principal, serviceId: string): Promise<void> {
    if (!canSeeService(principal, serviceId)) {
      throw new DomainError(ErrorCode.Forbidden, `this token is not scoped to service '${serviceId}'`);
    }
    const [found] = await this.dataSource.query<{ id: string }[]>('SELECT id FROM services WHERE id = $1', [
      serviceId,
    ]);
    if (found === undefined) {
      throw DomainError.notFound('service', serviceId);
    }
  }

  async list(principal: Principal, serviceId: string): Promise<ContactView[]> {
    await this.assertService(principal, serviceId);
    const contacts = await this.dataSource.manager.find(ServiceContactEntity, {
      where: { serviceId },
      order: { id: 'ASC' },
    });
    return contacts.map(toView);
  }

  async add(context: AuditContext, serviceId: string, body: unknown): Promise<ContactView> {
    const input = readContact(body);
    await this.assertService(context.actor, serviceId);
    return this.auditLog.change(context, async ({ manager, audit }) => {
      const [clash] = await manager.query<{ id: string }[]>(
        'SELECT id FROM service_contacts WHERE service_id = $1 AND email = $2',
        [serviceId, input.email],
      );
      if (clash !== undefined) {
        throw new DomainError(ErrorCode.Duplicate, `'${input.email}' is already a contact of '${serviceId}'`);
      }
      const contact = await manager.save(
        manager.create(ServiceContactEntity, { ...input, serviceId, createdAt: this.clock.now().toJSDate() }),
      );
      audit({
        action: 'contact.added',
        resourceType: 'service',
        resourceId: serviceId,
        after: toView(contact),
      });
      return toView(contact);
    });
  }

  async remove(context: AuditContext, serviceId: string, contactId: string): Promise<void> {
    await this.assertService(context.actor, serviceId);
    if (!/^[0-9]{1,18}$/.test(contactId)) {
      throw DomainError.validation([{ field: 'contactId', message: 'must be a contact id (digits)' }]);
    }
    await this.auditLog.change(context, async ({ manager, audit }) => {
      const contact = await manager.findOne(ServiceContactEntity, { where: { id: contactId, serviceId } });
      if (contact === null) {
        throw DomainError.notFound('contact', contactId);
      }
      await manager.delete(ServiceContactEntity, { id: contactId });
      audit({
        action: 'contact.removed',
        resourceType: 'service',
        resourceId: serviceId,
        before: toView(contact),
      });
    });
  }
}
