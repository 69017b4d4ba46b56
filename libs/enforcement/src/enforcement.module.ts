import { Module } from '@nestjs/common';
import { ConnectorSwitch } from './connector-switch';
import { DeliveryLedger } from './delivery-ledger';
import { DesiredStateRefresher } from './desired-state.refresher';
import { PlanLoader } from '@stepwise/plan-snapshot/plan-loader';
import { GateEvaluator } from './gate-evaluator';
import { RulesApplier } from './rules-applier';
import { RulesApplyBatcher } from './rules-apply-batcher';
import { RulesChangeNotifier } from './rules-change-notifier';
import { ServiceRulesRepository } from './service-rules.repository';

const PROVIDERS = [
  PlanLoader,
  DesiredStateRefresher,
  ServiceRulesRepository,
  DeliveryLedger,
  RulesApplier,
  RulesApplyBatcher,
  ConnectorSwitch,
  RulesChangeNotifier,
  GateEvaluator,
];

/**
 * Desired and applied rules state in PostgreSQL: computing it, fencing its writes, and the
 * connector switch. No queues and no HTTP: the worker and the API drive it. Needs the global
 * config, TypeORM DataSource, AuditLog and Redis client modules around it.
 */
@Module({ providers: PROVIDERS, exports: PROVIDERS })
export class EnforcementModule {}
