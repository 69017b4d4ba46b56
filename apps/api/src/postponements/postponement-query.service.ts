import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '@stepwise/common/domain-error';
import { Page, PageCursor, pageLimit, type PageRequest, toPage } from '@stepwise/common/page-cursor';
import type { Principal } from '@stepwise/common/principal';
import type { PostponementStatus } from '@stepwise/persistence/postponement.entity';
import { assertCanSee } from '../requirements/requirements.service';
import type { PostponementResponseDto } from './postponement.dto';
import { PostponementRepository } from './postponement.repository';
import { toPostponementView } from './postponement-view';

export interface PostponementListRequest extends PageRequest {
  service?: string;
  status?: PostponementStatus;
}

const POSTPONEMENT_CURSOR = new PageCursor('postponements', ['number']);

/** Reads of requests and decisions, newest first; a service owner sees their services' only. */
@Injectable()
export class PostponementQuery {
  constructor(
    private readonly dataSource: DataSource,
    private readonly postponements: PostponementRepository,
  ) {}

  async list(principal: Principal, request: PostponementListRequest): Promise<Page<PostponementResponseDto>> {
    if (request.service !== undefined) {
      assertCanSee(principal, request.service);
    }
    const limit = pageLimit(request);
    const [beforeId] = request.cursor === undefined ? [] : POSTPONEMENT_CURSOR.decode(request.cursor);
    const rows = await this.postponements.findPage(this.dataSource.manager, {
      scope: principal.services,
      service: request.service,
      status: request.status,
      beforeId,
      limit: limit + 1,
    });
    return toPage(rows, limit, toPostponementView, (last) => POSTPONEMENT_CURSOR.encode([Number(last.id)]));
  }

  async get(principal: Principal, id: string): Promise<PostponementResponseDto> {
    const row = await this.postponements.findById(this.dataSource.manager, id);
    if (row === null) {
      throw DomainError.notFound('postponement', id);
    }
    assertCanSee(principal, row.serviceId);
    return toPostponementView(row);
  }
}
