import { nodeHttpTransport, type HttpAnswer, type HttpTransport } from '@stepwise/connector';
import type { Clock } from '@stepwise/common/clock';

export interface GraphClientOptions {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  graphUrl: string;
  loginUrl: string;
  clock: Clock;
  transport?: HttpTransport;
  /** Waits; injectable so tests check the pacing without waiting. */
  sleep?: (ms: number) => Promise<void>;
}

/** Graph answered with an error (after the retries a 429 allows). */
export class GraphError extends Error {
  override readonly name = 'GraphError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** At most one Graph request per second per tenant, whatever number of adapters share it. */
const MIN_INTERVAL_MS = 1_000;
const nextSlotByTenant = new Map<string, number>();
const MAX_THROTTLED_RETRIES = 5;

/**
 * Microsoft Graph for one tenant, with the app's own token (client credentials): requests are
 * paced to one a second per tenant, and a 429 waits its `Retry-After` (seconds) before trying again.
 */
export class GraphClient {
  private token: { value: string; expiresAtMs: number } | null = null;
  private readonly transport: HttpTransport;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: GraphClientOptions) {
    this.transport = options.transport ?? nodeHttpTransport;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async call<T>(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<T | null> {
    for (let attempt = 0; ; attempt += 1) {
      await this.waitForSlot();
      const answer = await this.transport({
        method,
        url: `${this.options.graphUrl.replace(/\/+$/, '')}${path}`,
        headers: {
          authorization: `Bearer ${await this.accessToken()}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        timeoutMs: 30_000,
      });
      if (answer.status === 429 && attempt < MAX_THROTTLED_RETRIES) {
        await this.sleep(retryAfterMs(answer));
        continue;
      }
      if (answer.status < 200 || answer.status >= 300) {
        throw new GraphError(
          answer.status,
          `Graph ${method} ${path}: ${answer.status} ${graphMessage(answer)}`,
        );
      }
      return answer.body === '' ? null : (JSON.parse(answer.body) as T);
    }
  }

  private async waitForSlot(): Promise<void> {
    const now = this.options.clock.nowMs();
    const slot = Math.max(now, nextSlotByTenant.get(this.options.tenantId) ?? 0);
    nextSlotByTenant.set(this.options.tenantId, slot + MIN_INTERVAL_MS);
    if (slot > now) {
      await this.sleep(slot - now);
    }
  }

  private async accessToken(): Promise<string> {
    const now = this.options.clock.nowMs();
    if (this.token !== null && this.token.expiresAtMs > now) {
      return this.token.value;
    }
    const answer = await this.transport({
      method: 'POST',
      url: `${this.options.loginUrl.replace(/\/+$/, '')}/${encodeURIComponent(this.options.tenantId)}/oauth2/v2.0/token`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        client_id: this.options.clientId,
        client_secret: this.options.clientSecret,
        scope: 'https://graph.microsoft.com/.default',
        grant_type: 'client_credentials',
      }).toString(),
      timeoutMs: 30_000,
    });
    if (answer.status !== 200) {
      throw new GraphError(answer.status, `token request: ${answer.status} ${answer.body.slice(0, 200)}`);
    }
    const token = JSON.parse(answer.body) as { access_token: string; expires_in: number };
    // A minute early, so a request never carries a token that expires on the way.
    this.token = { value: token.access_token, expiresAtMs: now + (token.expires_in - 60) * 1000 };
    return token.access_token;
  }
}

function retryAfterMs(answer: HttpAnswer): number {
  const seconds = Number(answer.headers['retry-after']);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : MIN_INTERVAL_MS * 10;
}

function graphMessage(answer: HttpAnswer): string {
  try {
    return (JSON.parse(answer.body) as { error?: { code?: string; message?: string } }).error?.message ?? '';
  } catch {
    return answer.body.slice(0, 200);
  }
}

/** For tests: forget the pacing of every tenant. */
export function resetGraphPacing(): void {
  nextSlotByTenant.clear();
}
