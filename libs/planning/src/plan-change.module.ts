import { Module } from '@nestjs/common';
import { PlanChangeNotifier } from './plan-change-notifier';

/**
 * The one PlanChangeNotifier of a process, shared by the writers (PlanningModule) and the read
 * models that must see their own process's writes at once (PlanSnapshot).
 */
@Module({ providers: [PlanChangeNotifier], exports: [PlanChangeNotifier] })
export class PlanChangeModule {}
