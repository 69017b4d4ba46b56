import { MigrationInterface, QueryRunner } from 'typeorm';

export class IdempotencyKeys1795900000001 implements MigrationInterface {
  name = 'IdempotencyKeys1795900000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "idempotency_keys" ("principal_id" text NOT NULL, "key" text NOT NULL, "fingerprint" text NOT NULL, "route" text NOT NULL, "response" jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "completed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_3df5494b04add5b16d8608a3876" PRIMARY KEY ("principal_id", "key"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "idempotency_keys"`);
  }
}
