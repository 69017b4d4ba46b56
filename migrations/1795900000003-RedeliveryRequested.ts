import { MigrationInterface, QueryRunner } from 'typeorm';

export class RedeliveryRequested1795900000003 implements MigrationInterface {
  name = 'RedeliveryRequested1795900000003';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "service_rules" ADD "redelivery_requested_at" TIMESTAMP WITH TIME ZONE`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "service_rules" DROP COLUMN "redelivery_requested_at"`);
  }
}
