import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuditContext } from '@stepwise/audit/audit-log';
import { Access } from '../auth/access.decorator';
import { HotReadThrottleGuard } from '../hot-reads/hot-read-throttle.guard';
import { Actor } from '../auth/request-context';
import { RequirementsAnswerDto, RequirementsQueryDto } from './requirements.dto';
import { RequirementsService } from './requirements.service';
import { slugParam } from '../http/slug-param.pipe';

@ApiTags('requirements')
@ApiBearerAuth()
@Controller('services/:id/requirements')
export class RequirementsController {
  constructor(private readonly requirements: RequirementsService) {}

  @Get()
  @Access('admin', 'planner', 'service-owner', 'auditor', 'connector')
  @SkipThrottle()
  @UseGuards(HotReadThrottleGuard)
  @ApiOperation({
    summary: 'What the service must require at `at` as the plan stood at `asOf`, why, and what changes next',
  })
  @ApiOkResponse({ type: RequirementsAnswerDto })
  get(
    @Actor() { actor }: AuditContext,
    @Param('id', slugParam('id')) id: string,
    @Query() query: RequirementsQueryDto,
  ): Promise<RequirementsAnswerDto> {
    return this.requirements.forService(actor, id, query);
  }
}
