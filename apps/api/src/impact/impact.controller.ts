import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator';
import { ImpactDto } from './impact.dto';
import { ImpactService } from './impact.service';
import { slugParam } from '../http/slug-param.pipe';
import { revisionNumberPipe } from '../revisions/revision-number.pipe';

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
    @Param('policyId', slugParam('policyId')) policyId: string,
    @Param('number', revisionNumberPipe('number')) number: number,
  ): Promise<ImpactDto> {
    return this.impact.of(policyId, number);
  }
}
