import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1795857961790 implements MigrationInterface {
  name = 'InitialSchema1795857961790';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "api_tokens" ("id" uuid NOT NULL, "name" text NOT NULL, "role" text NOT NULL, "services" text array, "token_hash" text NOT NULL, "created_by" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_c587455266b5fa8dace7194caac" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_bbd687a104e1921e6702c6e3aa" ON "api_tokens"  ("token_hash") `,
    );
    await queryRunner.query(
      `CREATE TABLE "audit_events" ("seq" bigint NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "actor_id" text NOT NULL, "actor_name" text NOT NULL, "actor_role" text NOT NULL, "action" text NOT NULL, "resource_type" text NOT NULL, "resource_id" text NOT NULL, "before" jsonb, "after" jsonb, "reason" text, "request_id" text, "outcome" text NOT NULL, "prev_hash" text NOT NULL, "hash" text NOT NULL, CONSTRAINT "PK_6e299f5706e715265416fefe53e" PRIMARY KEY ("seq"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "audit_events_occurred_seq" ON "audit_events"  ("occurred_at", "seq") `,
    );
    await queryRunner.query(`CREATE INDEX "audit_events_actor_seq" ON "audit_events"  ("actor_id", "seq") `);
    await queryRunner.query(
      `CREATE INDEX "audit_events_resource_seq" ON "audit_events"  ("resource_type", "resource_id", "seq") `,
    );
    await queryRunner.query(`CREATE INDEX "audit_events_action_seq" ON "audit_events"  ("action", "seq") `);
    await queryRunner.query(
      `CREATE TABLE "audit_head" ("id" smallint NOT NULL, "seq" bigint NOT NULL, "hash" text NOT NULL, CONSTRAINT "PK_d3ed64edb3e208e83ccb5da589a" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "services" ("id" text NOT NULL, "name" text NOT NULL, "owner" text, "tags" text array NOT NULL DEFAULT '{}', "introduced_at" TIMESTAMP WITH TIME ZONE, "connector_type" text NOT NULL, "webhook_url" text, "webhook_secret_enc" text, "connector_disabled_at" TIMESTAMP WITH TIME ZONE, "connector_disabled_reason" text, "version" integer NOT NULL DEFAULT '1', "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "imported" boolean NOT NULL DEFAULT false, CONSTRAINT "PK_ba2d347a3168a296416c6c5ccb2" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_bf21653bdb92502681b2d0c625" ON "services"  ("owner") `);
    await queryRunner.query(
      `CREATE TABLE "capability_changes" ("id" BIGSERIAL NOT NULL, "service_id" text NOT NULL, "mfa_capability" text NOT NULL, "effective_at" TIMESTAMP WITH TIME ZONE NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "imported" boolean NOT NULL DEFAULT false, CONSTRAINT "PK_ebf2c6191f39b2997e528e06b05" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "capability_changes_service_effective" ON "capability_changes"  ("service_id", "effective_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "policies" ("id" text NOT NULL, "title" text NOT NULL, "timezone" text NOT NULL, "populations" text array NOT NULL, "require_approval" boolean NOT NULL DEFAULT true, "latest_published" integer, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_603e09f183df0108d8695c57e28" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "revisions" ("policy_id" text NOT NULL, "number" integer NOT NULL, "status" text NOT NULL, "summary" text NOT NULL, "reason" text NOT NULL, "source_url" text, "publish_at" TIMESTAMP WITH TIME ZONE, "plan" jsonb NOT NULL, "base_revision" integer, "author_id" text NOT NULL, "author_name" text NOT NULL, "approved_by_id" text, "approved_by_name" text, "status_reason" text, "imported" boolean NOT NULL DEFAULT false, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "published_at" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_fed8be5b665b07e57c7fe81d396" PRIMARY KEY ("policy_id", "number"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "revisions_published" ON "revisions"  ("policy_id", "publish_at") `,
    );
    await queryRunner.query(
      `ALTER TABLE "capability_changes" ADD CONSTRAINT "capability_changes_service_fk" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "revisions" ADD CONSTRAINT "revisions_policy_fk" FOREIGN KEY ("policy_id") REFERENCES "policies"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );

    // Hand-written: the audit log is append-only whoever connects, and the chain's head row
    // starts at the documented genesis hash (see libs/audit/src/audit-hash.ts).
    await queryRunner.query(`CREATE FUNCTION audit_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
            END $$`);
    await queryRunner.query(
      `CREATE TRIGGER audit_events_no_update_delete BEFORE UPDATE OR DELETE ON "audit_events" FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON "audit_events" FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change()`,
    );
    await queryRunner.query(
      `INSERT INTO "audit_head" ("id", "seq", "hash") VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000')`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER audit_events_no_truncate ON "audit_events"`);
    await queryRunner.query(`DROP TRIGGER audit_events_no_update_delete ON "audit_events"`);
    await queryRunner.query(`DROP FUNCTION audit_events_refuse_change()`);
    await queryRunner.query(`ALTER TABLE "revisions" DROP CONSTRAINT "revisions_policy_fk"`);
    await queryRunner.query(
      `ALTER TABLE "capability_changes" DROP CONSTRAINT "capability_changes_service_fk"`,
    );
    await queryRunner.query(`DROP INDEX "public"."revisions_published"`);
    await queryRunner.query(`DROP TABLE "revisions"`);
    await queryRunner.query(`DROP TABLE "policies"`);
    await queryRunner.query(`DROP INDEX "public"."capability_changes_service_effective"`);
    await queryRunner.query(`DROP TABLE "capability_changes"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_bf21653bdb92502681b2d0c625"`);
    await queryRunner.query(`DROP TABLE "services"`);
    await queryRunner.query(`DROP TABLE "audit_head"`);
    await queryRunner.query(`DROP INDEX "public"."audit_events_action_seq"`);
    await queryRunner.query(`DROP INDEX "public"."audit_events_resource_seq"`);
    await queryRunner.query(`DROP INDEX "public"."audit_events_actor_seq"`);
    await queryRunner.query(`DROP INDEX "public"."audit_events_occurred_seq"`);
    await queryRunner.query(`DROP TABLE "audit_events"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_bbd687a104e1921e6702c6e3aa"`);
    await queryRunner.query(`DROP TABLE "api_tokens"`);
  }
}
