import { MigrationInterface, QueryRunner } from 'typeorm';

export class IdempotencyKeysByAge1795900000002 implements MigrationInterface {
  name = 'IdempotencyKeysByAge1795900000002';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "idempotency_keys_created_at" ON "idempotency_keys"  ("created_at") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idempotency_keys_created_at"`);
  }
}
