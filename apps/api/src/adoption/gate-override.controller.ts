import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuditContext } from '@stepwise/audit/audit-log';
import { DomainError } from '@stepwise/common/domain-error';
import { GateOverrideService } from '@stepwise/planning/gate-override.service';
import { Access } from '../auth/access.decorator';
import { Actor } from '../auth/request-context';
import { slugParam } from '../http/slug-param.pipe';
import { GateOverrideDto, GateOverrideRequestDto } from './gate-override.dto';

const overrideId = {
  transform(value: string): string {
    if (!/^[1-9][0-9]{0,17}$/.test(value)) {
      throw DomainError.validation([{ field: 'id', message: 'must be a gate override id' }]);
    }
    return value;
  },
};

@ApiTags('adoption')
@ApiBearerAuth()
@Controller()
export class GateOverrideController {
  constructor(private readonly overrides: GateOverrideService) {}

  @Post('policies/:id/phases/:phase/overrides')
  @Access('planner')
  @ApiOperation({
    summary:
      'Request a release (or hold) of a gated phase against its gates, with a reason and an expiry; another planner approves it',
  })
  @ApiBody({ type: GateOverrideRequestDto })
  @ApiCreatedResponse({ type: GateOverrideDto })
  request(
    @Actor() actor: AuditContext,
    @Param('id', slugParam('id')) policy: string,
    @Param('phase', slugParam('phase')) phase: string,
    // Validated by the service, so the message names each field.
    @Body() body: Record<string, unknown>,
  ): Promise<GateOverrideDto> {
    return this.overrides.request(actor, policy, phase, body);
  }

  @Post('gate-overrides/:id/approve')
  @Access('planner')
  @ApiOperation({
    summary: 'Approve an override (four-eyes: not by its requester); it acts from now until its expiry',
  })
  @ApiCreatedResponse({ type: GateOverrideDto })
  approve(@Actor() actor: AuditContext, @Param('id', overrideId) id: string): Promise<GateOverrideDto> {
    return this.overrides.approve(actor, id);
  }
}
