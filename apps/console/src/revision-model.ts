// Revisions as the API sends them (GET /api/v1/policies/:id/revisions[/:n]).

export interface PhaseModel {
  key: string;
  title: string;
  effective: { at?: string; tentative?: string };
  scope: {
    services?: string[];
    selector?: { mfaCapability?: string; tags?: string[] };
    except?: string[];
    populations?: string[];
  };
  enforcement: string;
  state: string;
  stateReason?: string;
  instructionsUrl?: string;
  postponeUntilMax?: string;
}

export interface StandingRuleModel {
  on: string;
  since?: string;
  enforcement?: string;
}

export interface RevisionModel {
  policy: string;
  number: number;
  status: string;
  summary: string;
  reason: string;
  sourceUrl?: string | null;
  publishAt: string | null;
  baseRevision?: number | null;
  author: { id: string | null; name: string };
  approvedBy: { id: string | null; name: string } | null;
  statusReason?: string | null;
  imported?: boolean;
  recordedAt: string;
  publishedAt?: string | null;
  mandatory?: { since: string };
  phases: PhaseModel[];
  standingRules: StandingRuleModel[];
}

export interface PolicyModel {
  id: string;
  title: string;
  timezone: string;
  populations: string[];
  activeRevision: number | null;
  latestPublished: number | null;
}
