import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GraphRequest {
  method: string;
  path: string;
  body: unknown;
  authorization?: string;
}

interface StoredPolicy {
  id: string;
  displayName: string;
  state: string;
  conditions: unknown;
  grantControls: unknown;
  createdDateTime: string;
  modifiedDateTime: string | null;
}

const STATES = ['enabled', 'disabled', 'enabledForReportingButNotEnforced'];
const CREATE_FIELDS = ['displayName', 'state', 'conditions', 'grantControls'];

/**
 * A local stand-in for Microsoft Graph's Conditional Access policies and the token endpoint. It
 * checks each request against Graph's documented shapes (conditionalAccessPolicy: create needs
 * displayName, state, conditions with applications and users, grantControls with an operator;
 * update takes a partial policy) and answers as Graph does (201 with the policy, 204 on update,
 * 400 `{error:{code,message}}`, 429 with Retry-After when told to throttle).
 */
export class FakeGraph {
  readonly requests: GraphRequest[] = [];
  readonly policies = new Map<string, StoredPolicy>();
  /** The next N Graph requests answer 429 with this Retry-After (seconds). */
  throttle = { count: 0, retryAfterSeconds: 2 };
  private server: Server | null = null;

  get origin(): string {
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      void readJson(request).then((body) => {
        const answer = this.answer(request, body);
        response.writeHead(answer.status, {
          'content-type': 'application/json',
          ...(answer.headers ?? {}),
        });
        response.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server?.close(() => resolve()));
  }

  private answer(
    request: IncomingMessage,
    body: unknown,
  ): { status: number; body?: unknown; headers?: Record<string, string> } {
    const url = new URL(request.url ?? '/', 'http://graph');
    if (request.method === 'POST' && /^\/[^/]+\/oauth2\/v2\.0\/token$/.test(url.pathname)) {
      return {
        status: 200,
        body: { token_type: 'Bearer', expires_in: 3599, access_token: 'fake-graph-token' },
      };
    }
    this.requests.push({
      method: request.method ?? '',
      path: url.pathname + url.search,
      body,
      authorization: request.headers.authorization,
    });
    if (request.headers.authorization !== 'Bearer fake-graph-token') {
      return graphError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
    }
    if (this.throttle.count > 0) {
      this.throttle.count -= 1;
      return {
        ...graphError(429, 'TooManyRequests', 'Too many requests'),
        headers: { 'retry-after': String(this.throttle.retryAfterSeconds) },
      };
    }
    const match = /^\/v1\.0\/identity\/conditionalAccess\/policies(?:\/([^/]+))?$/.exec(url.pathname);
    if (match === null) {
      return graphError(404, 'ResourceNotFound', `no resource at ${url.pathname}`);
    }
    const id = match[1];
    if (request.method === 'GET' && id === undefined) {
      return {
        status: 200,
        body: {
          '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#identity/conditionalAccess/policies',
          value: [...this.policies.values()],
        },
      };
    }
    if (request.method === 'POST' && id === undefined) {
      const problem = createProblem(body);
      if (problem !== null) {
        return graphError(400, 'BadRequest', problem);
      }
      const input = body as Record<string, unknown>;
      const policy: StoredPolicy = {
        id: randomUUID(),
        displayName: input.displayName as string,
        state: input.state as string,
        conditions: input.conditions,
        grantControls: input.grantControls,
        createdDateTime: '2026-12-08T00:00:00.0000000Z',
        modifiedDateTime: null,
      };
      this.policies.set(policy.id, policy);
      return {
        status: 201,
        body: {
          '@odata.context':
            'https://graph.microsoft.com/v1.0/$metadata#identity/conditionalAccess/policies/$entity',
          ...policy,
        },
      };
    }
    if (request.method === 'PATCH' && id !== undefined) {
      const policy = this.policies.get(decodeURIComponent(id));
      if (policy === undefined) {
        return graphError(404, 'ResourceNotFound', `policy ${id} not found`);
      }
      const input = body as Record<string, unknown> | null;
      if (
        input === null ||
        typeof input !== 'object' ||
        (input.state !== undefined && !STATES.includes(input.state as string))
      ) {
        return graphError(
          400,
          'BadRequest',
          'state must be one of enabled, disabled, enabledForReportingButNotEnforced',
        );
      }
      Object.assign(policy, input, { modifiedDateTime: '2026-12-08T00:00:01.0000000Z' });
      return { status: 204 };
    }
    return graphError(405, 'MethodNotAllowed', `${request.method} not allowed here`);
  }
}

function createProblem(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) {
    return 'a conditionalAccessPolicy object is required';
  }
  const input = body as Record<string, unknown>;
  for (const field of CREATE_FIELDS) {
    if (input[field] === undefined) {
      return `${field} is required`;
    }
  }
  if (!STATES.includes(input.state as string)) {
    return `state '${String(input.state)}' is not one of ${STATES.join(', ')}`;
  }
  const conditions = input.conditions as {
    applications?: { includeApplications?: unknown };
    users?: { includeGroups?: unknown; includeUsers?: unknown };
  };
  if (
    !Array.isArray(conditions.applications?.includeApplications) ||
    conditions.applications.includeApplications.length === 0
  ) {
    return 'conditions.applications.includeApplications must list at least one application';
  }
  if (!Array.isArray(conditions.users?.includeGroups) && !Array.isArray(conditions.users?.includeUsers)) {
    return 'conditions.users must include users or groups';
  }
  const grant = input.grantControls as { operator?: unknown; builtInControls?: unknown };
  if (!['AND', 'OR'].includes(grant.operator as string) || !Array.isArray(grant.builtInControls)) {
    return 'grantControls needs an operator (AND, OR) and builtInControls';
  }
  return null;
}

const graphError = (status: number, code: string, message: string) => ({
  status,
  body: { error: { code, message, innerError: { 'request-id': randomUUID(), date: '2026-12-08T00:00:00' } } },
});

async function readJson(request: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of request) {
    text += (chunk as Buffer).toString();
  }
  if (text === '') {
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
