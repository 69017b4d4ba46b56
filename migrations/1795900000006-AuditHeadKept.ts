import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The chain's head row may be moved (every append does) but never removed: without it every
 * audited write fails. Hand-written, like the audit_events trigger, so it holds whoever connects.
 */
export class AuditHeadKept1795900000006 implements MigrationInterface {
  name = 'AuditHeadKept1795900000006';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE FUNCTION audit_head_refuse_removal() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'audit_head holds the chain''s head and is never removed: % refused', TG_OP
                    USING ERRCODE = 'insufficient_privilege';
            END $$`);
    await queryRunner.query(
      `CREATE TRIGGER audit_head_no_delete_truncate BEFORE DELETE OR TRUNCATE ON "audit_head" FOR EACH STATEMENT EXECUTE FUNCTION audit_head_refuse_removal()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER audit_head_no_delete_truncate ON "audit_head"`);
    await queryRunner.query(`DROP FUNCTION audit_head_refuse_removal()`);
  }
}
