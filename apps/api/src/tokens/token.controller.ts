import { Body, Controller, Delete, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { AuditContext } from '@stepwise/audit/audit-log';
import { Access } from '../auth/access.decorator';
import { TokenRevocations } from '../auth/token-revocations';
import { Actor } from '../auth/request-context';
import { CreatedTokenDto, CreateTokenDto } from './token.dto';
import { TokenService } from '@stepwise/access/token.service';

@ApiTags('tokens')
@ApiBearerAuth()
@Controller('tokens')
export class TokenController {
  constructor(
    private readonly tokens: TokenService,
    private readonly revocations: TokenRevocations,
  ) {}

  @Post()
  @Access('admin')
  @ApiOperation({ summary: 'Create a bearer token; the secret is returned once' })
  @ApiCreatedResponse({ type: CreatedTokenDto })
  create(@Actor() actor: AuditContext, @Body() body: CreateTokenDto): Promise<CreatedTokenDto> {
    return this.tokens.create(actor, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @Access('admin')
  @ApiOperation({ summary: 'Revoke a token at once' })
  @ApiNoContentResponse()
  async revoke(@Actor() actor: AuditContext, @Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    await this.tokens.revoke(actor, id);
    await this.revocations.announce(id);
  }
}
