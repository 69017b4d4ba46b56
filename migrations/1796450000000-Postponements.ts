import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Owners' requests to postpone a phase for their service, and the decisions on them. At most one
 * open request per (policy, phase, service): the partial unique index decides a race.
 */
export class Postponements1796450000000 implements MigrationInterface {
  name = 'Postponements1796450000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "postponements" ("id" BIGSERIAL NOT NULL, "policy_id" text NOT NULL, "phase_key" text NOT NULL, "service_id" text NOT NULL, "until" TIMESTAMP WITH TIME ZONE NOT NULL, "until_text" text NOT NULL, "reason" text NOT NULL, "status" text NOT NULL, "requested_by_id" text NOT NULL, "requested_by_name" text NOT NULL, "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL, "decided_by_id" text, "decided_by_name" text, "decision_reason" text, "decided_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_24c43b8f87926bcd900814a4c55" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "postponements_one_open" ON "postponements"  ("policy_id", "phase_key", "service_id") WHERE "status" = 'requested'`,
    );
    await queryRunner.query(`CREATE INDEX "postponements_service" ON "postponements"  ("service_id", "id") `);
    await queryRunner.query(
      `ALTER TABLE "postponements" ADD CONSTRAINT "postponements_policy_fk" FOREIGN KEY ("policy_id") REFERENCES "policies"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "postponements" ADD CONSTRAINT "postponements_service_fk" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "postponements" DROP CONSTRAINT "postponements_service_fk"`);
    await queryRunner.query(`ALTER TABLE "postponements" DROP CONSTRAINT "postponements_policy_fk"`);
    await queryRunner.query(`DROP INDEX "public"."postponements_service"`);
    await queryRunner.query(`DROP INDEX "public"."postponements_one_open"`);
    await queryRunner.query(`DROP TABLE "postponements"`);
  }
}
