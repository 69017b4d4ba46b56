import { Controller, Get, Param, ParseIntPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator';
import { ImpactDto } from './impact.dto';
import { ImpactService } from './impact.service';

@ApiTags('revisions')
@ApiBearerAuth()
@Controller('policies/:policyId/revisions/:number/impact')
export class ImpactController {
  constructor(private readonly impact: ImpactService) {}

  @Get()
  @Access('admin', 'planner', 'auditor')
  @ApiOperation({
    summary:
      'What-if: every (service, population) whose level the revision would change, when, from what to what',
  })
  @ApiOkResponse({ type: ImpactDto })
  get(
    @Param('policyId') policyId: string,
    @Param('number', ParseIntPipe) number: number,
  ): Promise<ImpactDto> {
    return this.impact.of(policyId, number);
  }
}
