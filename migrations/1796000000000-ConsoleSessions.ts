import { MigrationInterface, QueryRunner } from 'typeorm';

/** Server-side sessions of people signed in to the console (OpenID Connect). */
export class ConsoleSessions1796000000000 implements MigrationInterface {
  name = 'ConsoleSessions1796000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "console_sessions" ("secret_hash" text NOT NULL, "person_id" text NOT NULL, "person_name" text NOT NULL, "role" text NOT NULL, "services" jsonb, "csrf_token" text NOT NULL, "id_token" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_console_sessions" PRIMARY KEY ("secret_hash"))`,
    );
    await queryRunner.query(`CREATE INDEX "console_sessions_expires" ON "console_sessions" ("expires_at") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."console_sessions_expires"`);
    await queryRunner.query(`DROP TABLE "console_sessions"`);
  }
}
