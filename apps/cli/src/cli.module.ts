import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@stepwise/audit/audit.module';
import { ClockModule } from '@stepwise/common/clock.module';
import { StepwiseConfigModule } from '@stepwise/config/config.module';
import { ApiTokenEntity } from '@stepwise/persistence/api-token.entity';
import { PersistenceModule } from '@stepwise/persistence/persistence.module';
import { AdoptionModule } from '@stepwise/planning/adoption.module';
import { PlanningModule } from '@stepwise/planning/planning.module';
import { RedisClientModule } from '@stepwise/redis/redis-client.module';
import { Authenticator } from '@stepwise/access/authenticator';
import { TokenService } from '@stepwise/access/token.service';

/**
 * What the CLI's plan, seed and token commands run on: the same planning and token services the
 * API calls (so validation and audit are identical), without HTTP. TokenService lives in the API
 * app; it is reused here rather than copied, until tokens move to a lib of their own.
 */
@Module({
  imports: [
    StepwiseConfigModule,
    ClockModule,
    PersistenceModule,
    TypeOrmModule.forFeature([ApiTokenEntity]),
    AuditModule,
    RedisClientModule,
    PlanningModule,
    AdoptionModule,
  ],
  providers: [Authenticator, TokenService],
})
export class CliModule {}
