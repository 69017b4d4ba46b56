import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseRulesDocument, verifyWebhook, WebhookVerificationError } from '@stepwise/connector';
import type { Clock } from '@stepwise/common/clock';
import type { AgentLog } from './agent-log';
import type { RulesAgent } from './rules-agent';

const MAX_BODY_BYTES = 1 << 20;

export interface WebhookSettings {
  path: string;
  secret: string;
  toleranceSeconds: number;
  service: string;
}

/**
 * Webhook mode: Stepwise pushes each generation, signed. The 2xx is the acknowledgement, so it is
 * answered only after the adapter applied the document; a failed apply answers 500 (Stepwise
 * retries with backoff, same webhook-id) and is then reported with its reason.
 */
export class WebhookListener {
  constructor(
    private readonly settings: WebhookSettings,
    private readonly agent: RulesAgent,
    private readonly clock: Clock,
    private readonly log: AgentLog,
  ) {}

  /** True when the request was the webhook's (and answered). */
  handles(request: IncomingMessage): boolean {
    return request.method === 'POST' && (request.url ?? '').split('?')[0] === this.settings.path;
  }

  async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    if (body === null) {
      return void response.writeHead(413).end('body too large');
    }
    let document;
    try {
      verifyWebhook({
        secret: this.settings.secret,
        headers: request.headers,
        body,
        nowMs: this.clock.nowMs(),
        toleranceSeconds: this.settings.toleranceSeconds,
      });
      document = parseRulesDocument(JSON.parse(body.toString('utf8')));
    } catch (error) {
      const unauthorised = error instanceof WebhookVerificationError;
      this.log.warn(unauthorised ? 'webhook refused: bad signature' : 'webhook refused: bad body', {
        error: String(error),
      });
      return void response.writeHead(unauthorised ? 401 : 400).end(String((error as Error).message));
    }
    if (document.service !== this.settings.service) {
      return void response.writeHead(400).end(`this agent serves '${this.settings.service}'`);
    }
    const outcome = await this.agent.offer(document);
    if (outcome === 'failed') {
      response
        .writeHead(500, { 'content-type': 'text/plain' })
        .end('apply failed: previous configuration kept');
      await this.agent.reportLastFailure();
      return;
    }
    response.writeHead(204).end();
  }
}

async function readBody(request: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      return null;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
