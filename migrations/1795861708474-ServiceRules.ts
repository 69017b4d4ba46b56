import { MigrationInterface, QueryRunner } from 'typeorm';

export class ServiceRules1795861708474 implements MigrationInterface {
  name = 'ServiceRules1795861708474';

  // Additive only (expand): a new table the running API and worker do not yet read.
  // Reviewed by hand: the check refuses an applied generation that was never issued.
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "service_rules" ("service_id" text NOT NULL, "generation" integer NOT NULL, "hash" text NOT NULL, "rules" json NOT NULL, "next_change_at" TIMESTAMP WITH TIME ZONE, "computed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "applied_generation" integer NOT NULL DEFAULT '0', "applied_at" TIMESTAMP WITH TIME ZONE, "delivery_attempts" integer NOT NULL DEFAULT '0', "last_error" text, "last_attempt_at" TIMESTAMP WITH TIME ZONE, "duplicate_deliveries" integer NOT NULL DEFAULT '0', "sent_generation" integer, "send_open" boolean NOT NULL DEFAULT false, "send_lease_until" TIMESTAMP WITH TIME ZONE, CONSTRAINT "service_rules_applied_issued" CHECK ("applied_generation" <= "generation"), CONSTRAINT "PK_f9c5ed15b699f1678d00f75adc2" PRIMARY KEY ("service_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "service_rules_next_change_at" ON "service_rules"  ("next_change_at") `,
    );
    await queryRunner.query(
      `ALTER TABLE "service_rules" ADD CONSTRAINT "service_rules_service_fk" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "service_rules" DROP CONSTRAINT "service_rules_service_fk"`);
    await queryRunner.query(`DROP INDEX "public"."service_rules_next_change_at"`);
    await queryRunner.query(`DROP TABLE "service_rules"`);
  }
}
