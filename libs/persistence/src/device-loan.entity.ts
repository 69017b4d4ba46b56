import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A dedicated MFA device lent to a person (a pseudonymous id, never a name), until it is returned. */
@Entity({ name: 'device_loans' })
@Index('device_loans_population', ['population', 'issuedAt'])
// One active loan per serial: the database refuses lending a device that is out.
@Index('device_loans_serial_active', ['serial'], { unique: true, where: '"returned_at" IS NULL' })
export class DeviceLoanEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'text' })
  serial!: string;

  @Column({ type: 'text' })
  borrower!: string;

  @Column({ type: 'text' })
  population!: string;

  @Column({ name: 'issued_at', type: 'timestamptz' })
  issuedAt!: Date;

  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt!: Date;

  @Column({ name: 'returned_at', type: 'timestamptz', nullable: true })
  returnedAt!: Date | null;

  @Column({ name: 'recorded_by_name', type: 'text' })
  recordedByName!: string;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;
}
