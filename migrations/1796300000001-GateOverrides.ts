import { MigrationInterface, QueryRunner } from 'typeorm';

/** Overrides of gated phases: requested by one planner, approved by another. */
export class GateOverrides1796300000001 implements MigrationInterface {
  name = 'GateOverrides1796300000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "gate_overrides" ("id" BIGSERIAL NOT NULL, "policy_id" text NOT NULL, "phase" text NOT NULL, "action" text NOT NULL, "reason" text NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "status" text NOT NULL, "requested_by_id" text NOT NULL, "requested_by_name" text NOT NULL, "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL, "approved_by_id" text, "approved_by_name" text, "approved_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_8d2ae3a6eaa8bb7429ffb4c87d5" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "gate_overrides_policy_phase" ON "gate_overrides"  ("policy_id", "phase") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."gate_overrides_policy_phase"`);
    await queryRunner.query(`DROP TABLE "gate_overrides"`);
  }
}
