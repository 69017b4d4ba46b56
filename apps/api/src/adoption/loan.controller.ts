import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { AuditContext } from '@stepwise/audit/audit-log';
import { DomainError } from '@stepwise/common/domain-error';
import { DeviceLoanService } from '@stepwise/planning/device-loan.service';
import { Access } from '../auth/access.decorator';
import { Actor } from '../auth/request-context';
import { LendDeviceDto, LoanDto, LoanPageDto, LoanQueryDto } from './loan.dto';

const loanId = {
  transform(value: string): string {
    if (!/^[1-9][0-9]{0,17}$/.test(value)) {
      throw DomainError.validation([{ field: 'id', message: 'must be a loan id' }]);
    }
    return value;
  },
};

@ApiTags('adoption')
@ApiBearerAuth()
@Controller('loans')
export class LoanController {
  constructor(private readonly loans: DeviceLoanService) {}

  @Post()
  @Access('planner', 'admin')
  @ApiOperation({ summary: 'Lend a dedicated MFA device; a serial already on loan is refused (409)' })
  @ApiBody({ type: LendDeviceDto })
  @ApiCreatedResponse({ type: LoanDto })
  lend(@Actor() actor: AuditContext, @Body() body: Record<string, unknown>): Promise<LoanDto> {
    return this.loans.lend(actor, body);
  }

  @Post(':id/return')
  @Access('planner', 'admin')
  @ApiOperation({ summary: 'Record the return of a loaned device' })
  @ApiCreatedResponse({ type: LoanDto })
  giveBack(@Actor() actor: AuditContext, @Param('id', loanId) id: string): Promise<LoanDto> {
    return this.loans.giveBack(actor, id);
  }

  @Get()
  @Access('planner', 'admin', 'auditor')
  @ApiOperation({ summary: 'Loans in keyset pages, by state and population, with the inventory per state' })
  @ApiOkResponse({ type: LoanPageDto })
  list(@Query() query: LoanQueryDto): Promise<LoanPageDto> {
    return this.loans.list(query);
  }
}
