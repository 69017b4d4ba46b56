import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuditContext } from '@stepwise/audit/audit-log';
import { RevisionLifecycleService } from '@stepwise/planning/revision-lifecycle.service';
import { RevisionPublisher } from '@stepwise/planning/revision-publisher.service';
import type { ReviewTransition } from '@stepwise/planning/revision-transitions';
import { Access } from '../auth/access.decorator';
import { Actor } from '../auth/request-context';
import { PublishDto, RevisionResponseDto, LifecycleActionDto } from './revision.dto';
import { revisionNumberPipe } from './revision-number.pipe';
import { slugParam } from '../http/slug-param.pipe';

/** Review and publication; a wrong state is 409 WRONG_STATE, approving one's own draft 403. */
@ApiTags('revisions')
@ApiBearerAuth()
@Controller('policies/:id/revisions/:n')
export class RevisionLifecycleController {
  constructor(
    private readonly lifecycle: RevisionLifecycleService,
    private readonly publisher: RevisionPublisher,
  ) {}

  @Post('submit')
  @HttpCode(200)
  @Access('planner')
  @ApiOperation({ summary: 'Submit a draft for approval' })
  @ApiOkResponse({ type: RevisionResponseDto })
  submit(
    @Actor() actor: AuditContext,
    @Param('id', slugParam('id')) id: string,
    @Param('n', revisionNumberPipe()) n: number,
    @Body() body: LifecycleActionDto,
  ) {
    return this.review(actor, id, n, 'submit', body);
  }

  @Post('approve')
  @HttpCode(200)
  @Access('planner')
  @ApiOperation({
    summary: 'Approve a submitted revision (four-eyes: not with the token that drafted it, 403)',
  })
  @ApiOkResponse({ type: RevisionResponseDto })
  approve(
    @Actor() actor: AuditContext,
    @Param('id', slugParam('id')) id: string,
    @Param('n', revisionNumberPipe()) n: number,
    @Body() body: LifecycleActionDto,
  ) {
    return this.review(actor, id, n, 'approve', body);
  }

  @Post('reject')
  @HttpCode(200)
  @Access('planner')
  @ApiOperation({ summary: 'Reject a submitted or approved revision (reason required)' })
  @ApiOkResponse({ type: RevisionResponseDto })
  reject(
    @Actor() actor: AuditContext,
    @Param('id', slugParam('id')) id: string,
    @Param('n', revisionNumberPipe()) n: number,
    @Body() body: LifecycleActionDto,
  ) {
    return this.review(actor, id, n, 'reject', body);
  }

  @Post('withdraw')
  @HttpCode(200)
  @Access('planner')
  @ApiOperation({ summary: 'Withdraw an unpublished revision' })
  @ApiOkResponse({ type: RevisionResponseDto })
  withdraw(
    @Actor() actor: AuditContext,
    @Param('id', slugParam('id')) id: string,
    @Param('n', revisionNumberPipe()) n: number,
    @Body() body: LifecycleActionDto,
  ) {
    return this.review(actor, id, n, 'withdraw', body);
  }

  @Post('publish')
  @HttpCode(200)
  @Access('planner')
  @ApiOperation({
    summary:
      'Publish now or at a future publishAt; 409 STALE_BASE if another revision was published since drafting',
  })
  @ApiOkResponse({ type: RevisionResponseDto })
  publish(
    @Actor() actor: AuditContext,
    @Param('id', slugParam('id')) policyId: string,
    @Param('n', revisionNumberPipe()) number: number,
    @Body() body: PublishDto,
  ): Promise<RevisionResponseDto> {
    return this.publisher.publish(
      actor,
      { policyId, number },
      { publishAt: body.publishAt, reason: body.reason },
    );
  }

  private review(
    actor: AuditContext,
    policyId: string,
    number: number,
    transition: ReviewTransition,
    body: LifecycleActionDto,
  ) {
    return this.lifecycle.transition(actor, { policyId, number }, transition, body.reason ?? null);
  }
}
