import { AdoptionSnapshotEntity } from './adoption-snapshot.entity';
import { ApiTokenEntity } from './api-token.entity';
import { AuditEventEntity, AuditHeadEntity } from './audit-event.entity';
import { CapabilityChangeEntity } from './capability-change.entity';
import { ConsoleSessionEntity } from './console-session.entity';
import { GateEvaluationEntity } from './gate-evaluation.entity';
import { GateOverrideEntity } from './gate-override.entity';
import { DeviceLoanEntity } from './device-loan.entity';
import { IdempotencyKeyEntity } from './idempotency-key.entity';
import { IntroductionChangeEntity } from './introduction-change.entity';
import { NoticeMailEntity, NoticeMailItemEntity } from './notice-mail.entity';
import { NoticeEntity } from './notice.entity';
import { PolicyEntity } from './policy.entity';
import { PostponementEntity } from './postponement.entity';
import { RevisionEntity } from './revision.entity';
import { ServiceRulesEntity } from './service-rules.entity';
import { ServiceContactEntity } from './service-contact.entity';
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
  ServiceContactEntity,
  NoticeEntity,
  NoticeMailEntity,
  NoticeMailItemEntity,
  AdoptionSnapshotEntity,
  GateEvaluationEntity,
  GateOverrideEntity,
  DeviceLoanEntity,
  PostponementEntity,
];
