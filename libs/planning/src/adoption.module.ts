import { Module } from '@nestjs/common';
import { AdoptionImportService } from './adoption-import.service';
import { AdoptionQuery } from './adoption-query.service';
import { AdoptionSnapshotRepository } from './adoption-snapshot.repository';
import { DeviceLoanService } from './device-loan.service';
import { GateOverrideService } from './gate-override.service';
import { PlanChangeModule } from './plan-change.module';

const FEATURES = [AdoptionImportService, AdoptionQuery, GateOverrideService, DeviceLoanService];

/**
 * Adoption snapshots (imports and reads), without HTTP types: the API and the CLI call the same
 * services. Needs the global config, clock, TypeORM DataSource and AuditLog around it.
 */
@Module({
  imports: [PlanChangeModule],
  providers: [AdoptionSnapshotRepository, ...FEATURES],
  exports: [...FEATURES, AdoptionSnapshotRepository],
})
export class AdoptionModule {}
