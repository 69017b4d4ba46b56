import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

// The plan's shape for the OpenAPI document. Bodies are validated by the domain's revision
// validator (unknown fields refused at every depth, every error named by its path), so these
// classes carry no class-validator rules.

const DATE_OR_INSTANT =
  "a date YYYY-MM-DD (midnight in the policy's timezone) or an ISO instant with an offset";

export class PhaseEffectiveDto {
  @ApiPropertyOptional({ description: `Confirmed: ${DATE_OR_INSTANT}. Exactly one of at, tentative` })
  at?: string;

  @ApiPropertyOptional({ description: 'A target (YYYY-MM or a date) that never enforces by itself' })
  tentative?: string;
}

export class PhaseSelectorDto {
  @ApiPropertyOptional({
    description: 'Services with this capability at the instant in question',
    enum: ['ready', 'not-ready'],
  })
  mfaCapability?: 'ready' | 'not-ready';

  @ApiPropertyOptional({ description: 'Services having all these tags', type: [String] })
  tags?: string[];
}

export class PhaseScopeDto {
  @ApiPropertyOptional({
    description:
      'Every service, ready or not, present or introduced later (exactly one of all, services, selector)',
    enum: [true],
    type: Boolean,
  })
  all?: true;

  @ApiPropertyOptional({
    description: 'Service ids (exactly one of all, services, selector)',
    type: [String],
  })
  services?: string[];

  @ApiPropertyOptional({
    description: 'A selector (exactly one of all, services, selector)',
    type: PhaseSelectorDto,
  })
  selector?: PhaseSelectorDto;

  @ApiPropertyOptional({ description: 'Service ids left out', type: [String] })
  except?: string[];

  @ApiPropertyOptional({ description: "Populations (default: all of the policy's)", type: [String] })
  populations?: string[];
}

export class GateDto {
  @ApiProperty({ description: 'A population of the policy', example: 'students' })
  population!: string;

  @ApiProperty({
    description: 'registered (MFA set up) or covered (plus loaned devices)',
    enum: ['registered', 'covered'],
  })
  metric!: 'registered' | 'covered';

  @ApiProperty({ description: 'Share of eligible minus exempt, 0..1', example: 0.95 })
  atLeast!: number;

  @ApiPropertyOptional({ description: 'The share must have held for this many days (1..365)' })
  forDays?: number;

  @ApiPropertyOptional({ description: 'Newest snapshot at most this old (e.g. 48h, 2d); else inconclusive' })
  maxDataAge?: string;
}

export class PhaseDto {
  @ApiProperty({ description: 'Stable key across revisions', example: 'step-3' })
  key!: string;

  @ApiProperty({ description: 'What the phase does' })
  title!: string;

  @ApiProperty({ description: 'When it takes effect', type: PhaseEffectiveDto })
  effective!: PhaseEffectiveDto;

  @ApiProperty({ description: 'Which services and populations', type: PhaseScopeDto })
  scope!: PhaseScopeDto;

  @ApiProperty({
    description: 'Block; warn (users without MFA see setup instructions and may continue); or only report',
    enum: ['enforce', 'warn', 'report-only'],
  })
  enforcement!: 'enforce' | 'warn' | 'report-only';

  @ApiPropertyOptional({
    description: 'Default active; suspended and cancelled need stateReason',
    enum: ['active', 'suspended', 'cancelled'],
  })
  state?: 'active' | 'suspended' | 'cancelled';

  @ApiPropertyOptional({ description: 'Why the phase is suspended or cancelled' })
  stateReason?: string;

  @ApiPropertyOptional({
    description: "Setup instructions (http or https URL) for this phase, instead of the policy's",
  })
  instructionsUrl?: string;

  @ApiPropertyOptional({
    description: `How far a service's owner may ask to postpone this phase for their service: ${DATE_OR_INSTANT}, after effective.at (confirmed phases only). Absent: no postponement`,
  })
  postponeUntilMax?: string;

  @ApiPropertyOptional({
    description:
      'All must pass for the phase to take effect; until then it is held (active, confirmed phases only)',
    type: [GateDto],
  })
  gates?: GateDto[];
}

export class StandingRuleDto {
  @ApiProperty({ description: 'What fires the rule', enum: ['mfa-ready', 'service-introduced'] })
  on!: 'mfa-ready' | 'service-introduced';

  @ApiPropertyOptional({ description: `Baseline (default the revision's publishAt): ${DATE_OR_INSTANT}` })
  since?: string;

  @ApiPropertyOptional({ description: 'Default enforce', enum: ['enforce', 'warn', 'report-only'] })
  enforcement?: 'enforce' | 'warn' | 'report-only';
}

export class MandatoryDto {
  @ApiProperty({
    description: "From when the policy says users must use MFA: a date in the policy's timezone",
  })
  since!: string;
}

/** The whole plan, in every revision. */
export class RevisionPlanDto {
  @ApiPropertyOptional({ description: 'The statement; absent means none', type: MandatoryDto })
  mandatory?: MandatoryDto;

  @ApiProperty({ description: 'Phases (steps), keys unique', type: [PhaseDto] })
  phases!: PhaseDto[];

  @ApiPropertyOptional({ description: 'Standing rules, at most one per kind', type: [StandingRuleDto] })
  standingRules?: StandingRuleDto[];
}
