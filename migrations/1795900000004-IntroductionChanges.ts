import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Introductions become dated facts like capability changes: each statement of a service's
 * introduction counts from when it was recorded. Every service's current introduction is carried
 * over as recorded at the service's registration, which is what resolution assumed until now.
 */
export class IntroductionChanges1795900000004 implements MigrationInterface {
  name = 'IntroductionChanges1795900000004';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "introduction_changes" ("id" BIGSERIAL NOT NULL, "service_id" text NOT NULL, "introduced_at" TIMESTAMP WITH TIME ZONE, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_5e9698e1f506f68d52fffef6a7d" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "introduction_changes_service_recorded" ON "introduction_changes"  ("service_id", "recorded_at") `,
    );
    await queryRunner.query(
      `ALTER TABLE "introduction_changes" ADD CONSTRAINT "introduction_changes_service_fk" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `INSERT INTO "introduction_changes" ("service_id", "introduced_at", "recorded_at")
       SELECT "id", "introduced_at", "recorded_at" FROM "services" WHERE "introduced_at" IS NOT NULL ORDER BY "id"`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "introduction_changes" DROP CONSTRAINT "introduction_changes_service_fk"`,
    );
    await queryRunner.query(`DROP INDEX "public"."introduction_changes_service_recorded"`);
    await queryRunner.query(`DROP TABLE "introduction_changes"`);
  }
}
