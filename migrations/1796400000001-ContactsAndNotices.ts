import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Service contacts, the policy's notice settings (lead times, local hour) and the notices outbox:
 * notices keyed so each is planned once, mails (one per contact and digest) whose id makes the
 * Message-ID, and which notices each mail carries.
 */
export class ContactsAndNotices1796400000001 implements MigrationInterface {
  name = 'ContactsAndNotices1796400000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "notice_mails" ("id" BIGSERIAL NOT NULL, "contact_id" bigint NOT NULL, "name" text NOT NULL, "email" text NOT NULL, "language" text NOT NULL, "message_id" text NOT NULL, "status" text NOT NULL DEFAULT 'pending', "attempts" integer NOT NULL DEFAULT '0', "last_error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "sent_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_32bac5e967eaa6b356005dabb25" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "notice_mails_pending" ON "notice_mails"  ("id") WHERE status = 'pending'`,
    );
    await queryRunner.query(
      `CREATE TABLE "notice_mail_items" ("notice_id" bigint NOT NULL, "contact_id" bigint NOT NULL, "mail_id" bigint NOT NULL, CONSTRAINT "PK_497411db5124ca2169a7be2ba85" PRIMARY KEY ("notice_id", "contact_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "notice_mail_items_mail" ON "notice_mail_items"  ("mail_id") `);
    await queryRunner.query(
      `CREATE TABLE "notices" ("id" BIGSERIAL NOT NULL, "key" text NOT NULL, "policy_id" text NOT NULL, "service_id" text NOT NULL, "kind" text NOT NULL, "transition_at" TIMESTAMP WITH TIME ZONE, "tentative" text, "level" text NOT NULL, "from_level" text, "cause" text NOT NULL, "populations" text array NOT NULL, "revision" integer NOT NULL, "lead_days" integer, "change" jsonb, "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "status" text NOT NULL DEFAULT 'pending', "superseded_at" TIMESTAMP WITH TIME ZONE, "superseded_by" bigint, "dispatched_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_3eb18c29da25d6935fcbe584237" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "notices_key" ON "notices"  ("key") `);
    await queryRunner.query(`CREATE INDEX "notices_service" ON "notices"  ("service_id", "id") `);
    await queryRunner.query(
      `CREATE INDEX "notices_due" ON "notices"  ("due_at") WHERE status = 'pending' AND superseded_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "service_contacts" ("id" BIGSERIAL NOT NULL, "service_id" text NOT NULL, "name" text NOT NULL, "email" text NOT NULL, "language" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_6657d6e4a239d06fec439900fe7" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "service_contacts_service_email" ON "service_contacts"  ("service_id", "email") `,
    );
    await queryRunner.query(
      `ALTER TABLE "policies" ADD "notice_lead_days" integer array NOT NULL DEFAULT '{30,7,1}'`,
    );
    await queryRunner.query(`ALTER TABLE "policies" ADD "notice_send_at" text NOT NULL DEFAULT '09:00'`);
    await queryRunner.query(
      `ALTER TABLE "service_contacts" ADD CONSTRAINT "service_contacts_service_fk" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "service_contacts" DROP CONSTRAINT "service_contacts_service_fk"`);
    await queryRunner.query(`ALTER TABLE "policies" DROP COLUMN "notice_send_at"`);
    await queryRunner.query(`ALTER TABLE "policies" DROP COLUMN "notice_lead_days"`);
    await queryRunner.query(`DROP INDEX "public"."service_contacts_service_email"`);
    await queryRunner.query(`DROP TABLE "service_contacts"`);
    await queryRunner.query(`DROP INDEX "public"."notices_due"`);
    await queryRunner.query(`DROP INDEX "public"."notices_service"`);
    await queryRunner.query(`DROP INDEX "public"."notices_key"`);
    await queryRunner.query(`DROP TABLE "notices"`);
    await queryRunner.query(`DROP INDEX "public"."notice_mail_items_mail"`);
    await queryRunner.query(`DROP TABLE "notice_mail_items"`);
    await queryRunner.query(`DROP INDEX "public"."notice_mails_pending"`);
    await queryRunner.query(`DROP TABLE "notice_mails"`);
  }
}
