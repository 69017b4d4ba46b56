import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Late recording: a revision published through four-eyes with a past publishAt is flagged. Every
 * stored revision reads as before (false): expand only.
 */
export class RevisionRecordedLate1796100000000 implements MigrationInterface {
  name = 'RevisionRecordedLate1796100000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "revisions" ADD "recorded_late" boolean NOT NULL DEFAULT false`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "revisions" DROP COLUMN "recorded_late"`);
  }
}
