import { ApiTokenEntity } from './api-token.entity';
import { AuditEventEntity, AuditHeadEntity } from './audit-event.entity';
import { CapabilityChangeEntity } from './capability-change.entity';
import { ConsoleSessionEntity } from './console-session.entity';
import { IdempotencyKeyEntity } from './idempotency-key.entity';
import { IntroductionChangeEntity } from './introduction-change.entity';
import { PolicyEntity } from './policy.entity';
import { PostponementEntity } from './postponement.entity';
import { RevisionEntity } from './revision.entity';
import { ServiceRulesEntity } from './service-rules.entity';
import { ServiceEntity } from './service.entity';

/** Every entity, listed once: the DataSource, the TypeORM CLI and the drift check read this. */
export const ENTITIES = [
  ApiTokenEntity,
  AuditEventEntity,
  AuditHeadEntity,
  ServiceEntity,
  CapabilityChangeEntity,
  IntroductionChangeEntity,
  PolicyEntity,
  RevisionEntity,
  ServiceRulesEntity,
  IdempotencyKeyEntity,
  ConsoleSessionEntity,
  PostponementEntity,
];
