import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { AuditContext } from '@stepwise/audit/audit-log';
import { ContactService } from '@stepwise/notices/contact.service';
import { NoticeQuery } from '@stepwise/notices/notice-query.service';
import { NoticeSettingsService } from '@stepwise/notices/notice-settings.service';
import { Access } from '../auth/access.decorator';
import { Actor } from '../auth/request-context';
import { slugParam } from '../http/slug-param.pipe';
import {
  ContactDto,
  CreateContactDto,
  NoticePageDto,
  NoticePageQueryDto,
  NoticeSettingsDto,
} from './notice.dto';

@ApiTags('notices')
@ApiBearerAuth()
@Controller()
export class NoticeController {
  constructor(
    private readonly contacts: ContactService,
    private readonly settings: NoticeSettingsService,
    private readonly notices: NoticeQuery,
  ) {}

  @Get('services/:id/contacts')
  @Access('planner', 'admin', 'auditor', 'service-owner')
  @ApiOperation({ summary: "A service's contacts (who is told of its upcoming transitions)" })
  @ApiOkResponse({ type: [ContactDto] })
  listContacts(
    @Actor() actor: AuditContext,
    @Param('id', slugParam('id')) id: string,
  ): Promise<ContactDto[]> {
    return this.contacts.list(actor.actor, id);
  }

  @Post('services/:id/contacts')
  @Access('planner', 'admin', 'service-owner')
  @ApiOperation({ summary: 'Add a contact to a service (owners: their own services)' })
  @ApiBody({ type: CreateContactDto })
  @ApiCreatedResponse({ type: ContactDto })
  addContact(
    @Actor() actor: AuditContext,
    @Param('id', slugParam('id')) id: string,
    @Body() body: Record<string, unknown>,
  ): Promise<ContactDto> {
    return this.contacts.add(actor, id, body);
  }

  @Delete('services/:id/contacts/:contactId')
  @HttpCode(204)
  @Access('planner', 'admin', 'service-owner')
  @ApiOperation({ summary: 'Remove a contact' })
  @ApiNoContentResponse()
  async removeContact(
    @Actor() actor: AuditContext,
    @Param('id', slugParam('id')) id: string,
    @Param('contactId') contactId: string,
  ): Promise<void> {
    await this.contacts.remove(actor, id, contactId);
  }

  @Put('policies/:id/notice-settings')
  @Access('planner', 'admin')
  @ApiOperation({
    summary: "Set a policy's notice lead times and local sending time; notices are planned again",
  })
  @ApiBody({ type: NoticeSettingsDto })
  @ApiOkResponse({ type: NoticeSettingsDto })
  async replaceSettings(
    @Actor() actor: AuditContext,
    @Param('id', slugParam('id')) id: string,
    @Body() body: Record<string, unknown>,
  ): Promise<NoticeSettingsDto> {
    const settings = await this.settings.replace(actor, id, body);
    return { leadDays: [...settings.leadDays], sendAt: settings.sendAt };
  }

  @Get('notices')
  @Access('planner', 'admin', 'auditor', 'service-owner')
  @ApiOperation({
    summary: 'The notices outbox, newest first, in keyset pages (a service owner sees their own services)',
  })
  @ApiOkResponse({ type: NoticePageDto })
  list(@Actor() actor: AuditContext, @Query() query: NoticePageQueryDto): Promise<NoticePageDto> {
    return this.notices.list(actor.actor, query);
  }
}
