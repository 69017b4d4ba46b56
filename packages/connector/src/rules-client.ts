import { nodeHttpTransport, type HttpAnswer, type HttpTransport } from './http-call';
import { parseRulesDocument, type RulesDocument } from './rules-document';

export interface RulesClientOptions {
  /** The API root, e.g. `https://stepwise.example.ac.jp/api/v1`. */
  apiUrl: string;
  /** A `connector` token scoped to this service. */
  token: string;
  service: string;
  /** Per request; default 10 s. */
  timeoutMs?: number;
  /** Default: node:http(s), no redirects followed. */
  transport?: HttpTransport;
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
  private readonly transport: HttpTransport;
  private readonly base: string;

  constructor(private readonly options: RulesClientOptions) {
    this.transport = options.transport ?? nodeHttpTransport;
    this.base = `${options.apiUrl.replace(/\/+$/, '')}/services/${encodeURIComponent(options.service)}/rules`;
  }

  /** `GET …/rules` with `If-None-Match`: a 304 costs Stepwise almost nothing. */
  async pull(etag?: string): Promise<PullResult> {
    const answer = await this.call('GET', this.base, etag === undefined ? {} : { 'if-none-match': etag });
    if (answer.status === 304 && etag !== undefined) {
      return { changed: false, etag };
    }
    failUnlessOk(answer);
    const document = parseRulesDocument(JSON.parse(answer.body));
    const given = answer.headers.etag;
    return { changed: true, etag: typeof given === 'string' ? given : `"${document.generation}"`, document };
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
    const answer = await this.call(
      'POST',
      url,
      {
        'content-type': 'application/json',
        ...(idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey }),
      },
      JSON.stringify(body),
    );
    failUnlessOk(answer);
  }

  private call(
    method: 'GET' | 'POST',
    url: string,
    headers: Record<string, string>,
    body?: string,
  ): Promise<HttpAnswer> {
    return this.transport({
      method,
      url,
      headers: { ...headers, authorization: `Bearer ${this.options.token}`, accept: 'application/json' },
      body,
      timeoutMs: this.options.timeoutMs ?? 10_000,
    });
  }
}

function failUnlessOk(answer: HttpAnswer): void {
  if (answer.status >= 200 && answer.status < 300) {
    return;
  }
  let code: string | undefined;
  let message = `${answer.status}`;
  try {
    const body = JSON.parse(answer.body) as { code?: string; message?: string | string[] };
    code = body.code;
    message = `${answer.status}: ${Array.isArray(body.message) ? body.message.join('; ') : (body.message ?? '')}`;
  } catch {
    // Not JSON: the status says enough.
  }
  throw new StepwiseApiError(answer.status, code, message);
}
