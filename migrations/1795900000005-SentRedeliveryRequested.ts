import { MigrationInterface, QueryRunner } from 'typeorm';

/** Which redelivery request a claimed send answers, so that a newer request outlives its apply. */
export class SentRedeliveryRequested1795900000005 implements MigrationInterface {
  name = 'SentRedeliveryRequested1795900000005';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "service_rules" ADD "sent_redelivery_requested_at" TIMESTAMP WITH TIME ZONE`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "service_rules" DROP COLUMN "sent_redelivery_requested_at"`);
  }
}
