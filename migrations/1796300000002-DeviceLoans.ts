import { MigrationInterface, QueryRunner } from 'typeorm';

/** MFA device loans: one active loan per serial. */
export class DeviceLoans1796300000002 implements MigrationInterface {
  name = 'DeviceLoans1796300000002';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "device_loans" ("id" BIGSERIAL NOT NULL, "serial" text NOT NULL, "borrower" text NOT NULL, "population" text NOT NULL, "issued_at" TIMESTAMP WITH TIME ZONE NOT NULL, "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "returned_at" TIMESTAMP WITH TIME ZONE, "recorded_by_name" text NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_083cb4a54f53311fc75041ea5f9" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "device_loans_serial_active" ON "device_loans"  ("serial") WHERE "returned_at" IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "device_loans_population" ON "device_loans"  ("population", "issued_at") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."device_loans_population"`);
    await queryRunner.query(`DROP INDEX "public"."device_loans_serial_active"`);
    await queryRunner.query(`DROP TABLE "device_loans"`);
  }
}
