import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The `warn` level: a policy may carry setup instructions. Stored plans need no rewrite: `warn` only
 * widens what a phase's `enforcement` may hold, so every stored plan reads as it did (expand only).
 */
export class PolicyInstructionsUrl1796400000000 implements MigrationInterface {
  name = 'PolicyInstructionsUrl1796400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "policies" ADD "instructions_url" text`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "policies" DROP COLUMN "instructions_url"`);
  }
}
