import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Adoption snapshots (counts only) and gate evaluations. Both are append-only; the database refuses
 * to change or remove a stored evaluation, since held and released phases are explained by them.
 */
export class AdoptionSnapshots1796300000000 implements MigrationInterface {
  name = 'AdoptionSnapshots1796300000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "adoption_snapshots" ("id" BIGSERIAL NOT NULL, "population" text NOT NULL, "as_of" TIMESTAMP WITH TIME ZONE NOT NULL, "eligible" integer NOT NULL, "registered" integer NOT NULL, "covered" integer NOT NULL, "exempt" integer NOT NULL, "source" text NOT NULL, "file_sha256" text NOT NULL, "imported_by_id" text NOT NULL, "imported_by_name" text NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_f9ca224783852c8882f5e581bdd" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "adoption_snapshots_file_population" ON "adoption_snapshots"  ("file_sha256", "population", "as_of") `,
    );
    await queryRunner.query(
      `CREATE INDEX "adoption_snapshots_population_as_of" ON "adoption_snapshots"  ("population", "as_of") `,
    );
    await queryRunner.query(
      `CREATE TABLE "gate_evaluations" ("id" BIGSERIAL NOT NULL, "policy_id" text NOT NULL, "revision" integer NOT NULL, "phase" text NOT NULL, "evaluated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "outcome" text NOT NULL, "checks" jsonb NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_4820085f6db3938e436d237b61b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "gate_evaluations_phase_instant" ON "gate_evaluations"  ("policy_id", "phase", "evaluated_at") `,
    );
    await queryRunner.query(`CREATE FUNCTION adoption_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$`);
    for (const table of ['adoption_snapshots', 'gate_evaluations']) {
      await queryRunner.query(
        `CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION adoption_refuse_change()`,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['adoption_snapshots', 'gate_evaluations']) {
      await queryRunner.query(`DROP TRIGGER ${table}_append_only ON "${table}"`);
    }
    await queryRunner.query(`DROP FUNCTION adoption_refuse_change()`);
    await queryRunner.query(`DROP INDEX "public"."gate_evaluations_phase_instant"`);
    await queryRunner.query(`DROP TABLE "gate_evaluations"`);
    await queryRunner.query(`DROP INDEX "public"."adoption_snapshots_population_as_of"`);
    await queryRunner.query(`DROP INDEX "public"."adoption_snapshots_file_population"`);
    await queryRunner.query(`DROP TABLE "adoption_snapshots"`);
  }
}
