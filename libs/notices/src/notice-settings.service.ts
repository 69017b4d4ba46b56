import { Injectable } from '@nestjs/common';
import { type AuditContext, AuditLog } from '@stepwise/audit/audit-log';
import { DomainError } from '@stepwise/common/domain-error';
import { InputReader } from '@stepwise/domain/input-reader';
import type { NoticeSettings } from '@stepwise/domain/notice-plan';
import { PlanChangeNotifier } from '@stepwise/planning/plan-change-notifier';

const SEND_AT = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;

export function readNoticeSettings(body: unknown): NoticeSettings {
  const reader = new InputReader();
  const record = reader.record(body, '', ['leadDays', 'sendAt']);
  if (record === undefined) {
    throw DomainError.validation(reader.errors);
  }
  const leads = reader.array(record.leadDays, 'leadDays');
  const leadDays: number[] = [];
  leads?.forEach((value, index) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 365) {
      reader.fail(`leadDays[${index}]`, 'must be a whole number of days from 0 to 365');
    } else if (leadDays.includes(value)) {
      reader.fail(`leadDays[${index}]`, `duplicates ${value}`);
    } else {
      leadDays.push(value);
    }
  });
  if (leads !== undefined && (leads.length === 0 || leads.length > 10)) {
    reader.fail('leadDays', 'must list 1 to 10 lead times');
  }
  const sendAt = reader.string(record.sendAt, 'sendAt');
  if (sendAt !== undefined && !SEND_AT.test(sendAt)) {
    reader.fail('sendAt', "must be a local time 'HH:MM' (00:00 to 23:59)");
  }
  if (reader.errors.length > 0 || sendAt === undefined) {
    throw DomainError.validation(reader.errors);
  }
  return { leadDays: leadDays.sort((a, b) => b - a), sendAt };
}

/** A policy's notice setting: lead times and the local hour, planned again at once. */
@Injectable()
export class NoticeSettingsService {
  constructor(
    private readonly auditLog: AuditLog,
    private readonly notifier: PlanChangeNotifier,
  ) {}

  async replace(context: AuditContext, policyId: string, body: unknown): Promise<NoticeSettings> {
    const settings = readNoticeSettings(body);
    await this.auditLog.change(context, async ({ manager, audit }) => {
      const [before] = await manager.query<{ notice_lead_days: number[]; notice_send_at: string }[]>(
        'SELECT notice_lead_days, notice_send_at FROM policies WHERE id = $1 FOR UPDATE',
        [policyId],
      );
      if (before === undefined) {
        throw DomainError.notFound('policy', policyId);
      }
      await manager.query('UPDATE policies SET notice_lead_days = $2, notice_send_at = $3 WHERE id = $1', [
        policyId,
        settings.leadDays,
        settings.sendAt,
      ]);
      audit({
        action: 'policy.notice-settings-changed',
        resourceType: 'policy',
        resourceId: policyId,
        before: { leadDays: before.notice_lead_days, sendAt: before.notice_send_at },
        after: settings,
      });
    });
    // The worker plans notices again on every plan-changed notice.
    await this.notifier.notify({ kind: 'policy', id: policyId });
    return settings;
  }
}
