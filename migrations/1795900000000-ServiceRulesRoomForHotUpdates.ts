import { MigrationInterface, QueryRunner } from 'typeorm';

export class ServiceRulesRoomForHotUpdates1795900000000 implements MigrationInterface {
  name = 'ServiceRulesRoomForHotUpdates1795900000000';

  // Written by hand (TypeORM does not model storage parameters, so there is no entity drift).
  // Every webhook delivery updates its service_rules row twice (the claim, then the fenced
  // apply), touching no indexed column. With full pages each update went to another page and
  // added an entry to both indexes (the text primary key compares under the collation); with
  // room left on the page it is a HOT update and the indexes are not touched. Rows written after
  // this migration get the room; older pages get it when rewritten (VACUUM FULL, or as rows move).
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "service_rules" SET (fillfactor = 50)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "service_rules" RESET (fillfactor)`);
  }
}
