import { Module } from '@nestjs/common';
import { EnforcementModule } from './enforcement.module';
import { RulesSnapshot } from './rules-snapshot';

/** The API's in-memory rules read model; the worker does not load it. */
@Module({
  imports: [EnforcementModule],
  providers: [RulesSnapshot],
  exports: [RulesSnapshot, EnforcementModule],
})
export class RulesReadModule {}
