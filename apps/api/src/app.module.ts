import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@stepwise/audit/audit.module';
import { ClockModule } from '@stepwise/common/clock.module';
import { StepwiseConfigModule } from '@stepwise/config/config.module';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import { ApiTokenEntity } from '@stepwise/persistence/api-token.entity';
import { ConsoleSessionEntity } from '@stepwise/persistence/console-session.entity';
import { ConsoleSessions } from '@stepwise/access/console-sessions';
import { PersistenceModule } from '@stepwise/persistence/persistence.module';
import { QueueModule } from '@stepwise/queue/queue.module';
import { RedisClientModule } from '@stepwise/redis/redis-client.module';
import { AdoptionHttpModule } from './adoption/adoption-http.module';
import { AuditController } from './audit/audit.controller';
import { AuthGuard } from './auth/auth.guard';
import { Authenticator } from '@stepwise/access/authenticator';
import { CalendarFeedKeys } from '@stepwise/access/calendar-feed-keys';
import { HealthController } from './health/health.controller';
import { NoticeHttpModule } from './notices/notice-http.module';
import { PlanHttpModule } from './plans/plan-http.module';
import { PolicyHttpModule } from './policies/policy-http.module';
import { ResolutionModule } from './requirements/resolution.module';
import { IdempotencyInterceptor } from './http/idempotency.interceptor';
import { NoQueryParametersInterceptor } from './http/no-query-parameters.interceptor';
import { ErrorFilter } from './http/error.filter';
import { StepwiseThrottlerGuard } from './http/throttler.guard';
import { RevisionHttpModule } from './revisions/revision-http.module';
import { RolloutHttpModule } from './rollout/rollout-http.module';
import { RulesHttpModule } from './rules/rules-http.module';
import { CalendarFeedController } from './schedule/calendar-feed.controller';
import { ServiceHttpModule } from './services/service-http.module';
import { TokenController } from './tokens/token.controller';
import { TokenService } from '@stepwise/access/token.service';
import { TokenRevocations } from './auth/token-revocations';
import { HotReadLimitModule } from './hot-reads/hot-read-limit.module';
import { PlanningModule } from '@stepwise/planning/planning.module';
import { TimelineHttpModule } from './timeline/timeline-http.module';
import { PostponementHttpModule } from './postponements/postponement-http.module';

@Module({
  imports: [
    StepwiseConfigModule,
    ClockModule,
    PersistenceModule,
    TypeOrmModule.forFeature([ApiTokenEntity, ConsoleSessionEntity]),
    AuditModule,
    RedisClientModule,
    HotReadLimitModule,
    PlanningModule,
    QueueModule.register('producer'),
    ServiceHttpModule,
    PolicyHttpModule,
    RevisionHttpModule,
    PlanHttpModule,
    ResolutionModule,
    RulesHttpModule,
    RolloutHttpModule,
    TimelineHttpModule,
    NoticeHttpModule,
    PostponementHttpModule,
    AdoptionHttpModule,
    TerminusModule.forRoot({ errorLogStyle: 'json', gracefulShutdownTimeoutMs: 0 }),
    ThrottlerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<EnvironmentVariables, true>) => {
        const limit = config.get('STEPWISE_RATE_LIMIT_PER_MINUTE', { infer: true });
        return { throttlers: [{ ttl: 60_000, limit: Math.max(limit, 1) }], skipIf: () => limit === 0 };
      },
    }),
  ],
  controllers: [HealthController, TokenController, AuditController, CalendarFeedController],
  providers: [
    Authenticator,
    ConsoleSessions,
    CalendarFeedKeys,
    TokenService,
    TokenRevocations,
    { provide: APP_GUARD, useClass: StepwiseThrottlerGuard },
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_FILTER, useClass: ErrorFilter },
    // In this order: an unknown query parameter is refused before a key is looked up.
    { provide: APP_INTERCEPTOR, useClass: NoQueryParametersInterceptor },
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
  ],
})
export class AppModule {}
