import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CreatePolicyDto } from '../policies/policy.dto';
import { CreateRevisionDto } from '../revisions/revision.dto';
import { CreateServiceDto } from '../services/service.dto';

/** A plan file: one policy and its revisions in order (YAML or JSON). */
export class PlanFileDto {
  @ApiProperty({ description: 'The policy (created if new; must match if it exists)', type: CreatePolicyDto })
  policy!: CreatePolicyDto;

  @ApiProperty({
    description:
      'Revisions in order (the i-th is revision i+1), each with publishAt (required) and optional author and approvedBy',
    type: [CreateRevisionDto],
  })
  revisions!: CreateRevisionDto[];
}

/** A services file: the directory to start with. */
export class ServicesFileDto {
  @ApiPropertyOptional({ description: "IANA zone in which the file's dates are read (default UTC)" })
  timezone?: string;

  @ApiProperty({
    description: 'Services; those already registered are left as they are',
    type: [CreateServiceDto],
  })
  services!: CreateServiceDto[];
}

export class ImportResultDto {
  @ApiProperty({ description: 'Which file it was', enum: ['plan', 'services'] })
  kind!: 'plan' | 'services';

  @ApiPropertyOptional({ description: 'Plan file: the policy id' })
  policy?: string;

  @ApiPropertyOptional({ description: 'Plan file: whether the policy was created' })
  policyCreated?: boolean;

  @ApiPropertyOptional({ description: 'Plan file: revision numbers added', type: [Number] })
  added?: number[];

  @ApiPropertyOptional({
    description: 'Revision numbers (plan) or service ids (services) already there',
    type: 'array',
    items: { oneOf: [{ type: 'integer' }, { type: 'string' }] },
  })
  unchanged?: (number | string)[];

  @ApiPropertyOptional({ description: 'Services file: service ids registered', type: [String] })
  created?: string[];

  @ApiPropertyOptional({
    description: 'Services file: webhook secrets generated for new services, shown this once',
    type: 'object',
    additionalProperties: { type: 'string' },
  })
  connectorSecrets?: Record<string, string>;
}
