import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'policies' })
export class PolicyEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text' })
  timezone!: string;

  @Column({ type: 'text', array: true })
  populations!: string[];

  @Column({ name: 'require_approval', type: 'boolean', default: true })
  requireApproval!: boolean;

  /** Setup instructions for users without MFA; rules documents carry it at warn and enforced. */
  @Column({ name: 'instructions_url', type: 'text', nullable: true })
  instructionsUrl!: string | null;

  /**
   * Number of the newest published revision (scheduled ones included). Publishing moves it with
   * a conditional UPDATE on the draft's base, so of two publishes on one base exactly one wins.
   */
  @Column({ name: 'latest_published', type: 'integer', nullable: true })
  latestPublished!: number | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
