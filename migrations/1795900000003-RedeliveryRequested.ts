import { MigrationInterface, QueryRunner } from 'typeorm';

export class RedeliveryRequested1795900000003 implements MigrationInterface {
  name = 'RedeliveryRequested1795900000003';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "service_rules" ADD "redelivery_requested_at" TIMESTAMP WITH TIME ZONE`,
    );
    await queryRunner.query(
      `CREATE INDEX "service_rules_redelivery_requested" ON "service_rules"  ("service_id") WHERE "redelivery_requested_at" IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."service_rules_redelivery_requested"`);
    await queryRunner.query(`ALTER TABLE "service_rules" DROP COLUMN "redelivery_requested_at"`);
  }
}
