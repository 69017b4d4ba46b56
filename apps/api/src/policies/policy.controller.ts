import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { AuditContext } from '@stepwise/audit/audit-log';
import { PolicyService } from '@stepwise/planning/policy.service';
import { Access } from '../auth/access.decorator';
import { Actor } from '../auth/request-context';
import { CreatePolicyDto, PolicyResponseDto } from './policy.dto';
import { slugParam } from '../http/slug-param.pipe';

@ApiTags('policies')
@ApiBearerAuth()
@Controller('policies')
export class PolicyController {
  constructor(private readonly policies: PolicyService) {}

  @Post()
  @Access('planner', 'admin')
  @ApiOperation({ summary: 'Create a policy (its plan comes as revisions)' })
  @ApiBody({ type: CreatePolicyDto })
  @ApiCreatedResponse({ type: PolicyResponseDto })
  // Validated by the domain's policy reader, as plan files are.
  create(@Actor() actor: AuditContext, @Body() body: Record<string, unknown>): Promise<PolicyResponseDto> {
    return this.policies.create(actor, body);
  }

  @Get()
  @Access('planner', 'admin', 'auditor', 'service-owner', 'connector')
  @ApiOperation({ summary: 'List policies with the revision in force now' })
  @ApiOkResponse({ type: [PolicyResponseDto] })
  list(): Promise<PolicyResponseDto[]> {
    return this.policies.list();
  }

  @Get(':id')
  @Access('planner', 'admin', 'auditor', 'service-owner', 'connector')
  @ApiOperation({ summary: 'A policy with the revision in force now' })
  @ApiOkResponse({ type: PolicyResponseDto })
  get(@Param('id', slugParam('id')) id: string): Promise<PolicyResponseDto> {
    return this.policies.get(id);
  }
}
