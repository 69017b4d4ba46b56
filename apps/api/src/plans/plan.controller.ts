import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { AuditContext } from '@stepwise/audit/audit-log';
import { PlanDocumentImporter } from '@stepwise/planning/plan-document-importer.service';
import { Access } from '../auth/access.decorator';
import { Actor } from '../auth/request-context';
import { ImportResultDto, PlanFileDto, ServicesFileDto } from './plan-import.dto';

@ApiTags('plans')
@ApiBearerAuth()
@ApiExtraModels(PlanFileDto, ServicesFileDto)
@Controller('plans')
export class PlanController {
  constructor(private readonly importer: PlanDocumentImporter) {}

  @Post('import')
  @HttpCode(200)
  @Access('admin')
  @ApiOperation({
    summary:
      'Import a plan file (policy + revisions) or a services file, as YAML or JSON. Idempotent: the same file twice adds nothing; a published revision is never rewritten (409)',
  })
  @ApiConsumes('application/json', 'application/yaml', 'text/yaml')
  @ApiBody({
    schema: { oneOf: [{ $ref: getSchemaPath(PlanFileDto) }, { $ref: getSchemaPath(ServicesFileDto) }] },
  })
  @ApiOkResponse({ type: ImportResultDto })
  import(
    @Actor() actor: AuditContext,
    // A YAML body arrives as the raw string (see plan-http.module.ts); JSON already parsed.
    @Body() body: unknown,
  ): Promise<ImportResultDto> {
    return this.importer.import(actor, body);
  }
}
