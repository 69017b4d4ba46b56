import { parseRulesDocument, type RulesDocument } from './rules-document';

export interface RulesClientOptions {
  /** The API root, e.g. `https://stepwise.example.ac.jp/api/v1`. */
  apiUrl: string;
  /** A `connector` token scoped to this service. */
  token: string;
  service: string;
  /** Per request; default 10 s. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export type PullResult =
  { changed: false; etag: string } | { changed: true; etag: string; document: RulesDocument };

/** A 4xx or 5xx answer from Stepwise, with its status and error code. */
export class StepwiseApiError extends Error {
  override readonly name = 'StepwiseApiError';
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }

  /** A 5xx, 429 or 409 (rules not computed yet) is worth retrying; any other 4xx is not. */
  get retryable(): boolean {
    return this.status >= 500 || this.status === 429 || this.status === 409;
  }
}

/** Talks to Stepwise for one service: pull (conditional GET), acknowledge, report a failed apply. */
export class RulesClient {
  private readonly fetch: typeof fetch;
  private readonly base: string;

  constructor(private readonly options: RulesClientOptions) {
    this.fetch = options.fetch ?? fetch;
    this.base = `${options.apiUrl.replace(/\/+$/, '')}/services/${encodeURIComponent(options.service)}/rules`;
  }

  /** `GET …/rules` with `If-None-Match`: a 304 costs Stepwise almost nothing. */
  async pull(etag?: string): Promise<PullResult> {
    const response = await this.request(this.base, {
      method: 'GET',
      headers: etag === undefined ? {} : { 'if-none-match': etag },
    });
    if (response.status === 304 && etag !== undefined) {
      return { changed: false, etag };
    }
    await this.failUnlessOk(response);
    const document = parseRulesDocument(await response.json());
    return { changed: true, etag: response.headers.get('etag') ?? `"${document.generation}"`, document };
  }

  /** Tells Stepwise this generation is applied. An already-acknowledged one is fine (204 again). */
  async ack(generation: number): Promise<void> {
    await this.post(`${this.base}/ack`, { generation }, `ack-${this.options.service}-${generation}`);
  }

  /** Tells Stepwise this generation could not be applied, and why; the rollout view shows it. */
  async reportFailure(generation: number, error: string): Promise<void> {
    await this.post(`${this.base}/failures`, { generation, error: error.slice(0, 1000) });
  }

  private async post(url: string, body: unknown, idempotencyKey?: string): Promise<void> {
    const response = await this.request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey }),
      },
      body: JSON.stringify(body),
    });
    await this.failUnlessOk(response);
  }

  private request(url: string, init: RequestInit): Promise<Response> {
    return this.fetch(url, {
      ...init,
      redirect: 'error',
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${this.options.token}` },
    });
  }

  private async failUnlessOk(response: Response): Promise<void> {
    if (response.ok) {
      return;
    }
    let code: string | undefined;
    let message = `${response.status} ${response.statusText}`;
    try {
      const body = (await response.json()) as { code?: string; message?: string | string[] };
      code = body.code;
      message = `${response.status}: ${Array.isArray(body.message) ? body.message.join('; ') : (body.message ?? message)}`;
    } catch {
      // Not JSON: the status line says enough.
    }
    throw new StepwiseApiError(response.status, code, message);
  }
}
