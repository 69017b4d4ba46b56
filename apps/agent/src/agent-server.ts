import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ListenAddress } from './agent-config';
import type { AgentLog } from './agent-log';
import type { AgentStatus } from './rules-agent';
import type { WebhookListener } from './webhook-listener';

export interface HealthInfo {
  service: string;
  mode: string;
  adapter: string;
  status: () => AgentStatus;
}

/**
 * The agent's HTTP side: `/health` and, in webhook mode, the webhook path; one server per distinct
 * address (both may share one). `/health` answers 503 while the last apply failed.
 */
export class AgentServer {
  private readonly servers: Server[] = [];

  constructor(
    private readonly health: HealthInfo,
    private readonly webhook: WebhookListener | undefined,
    private readonly log: AgentLog,
  ) {}

  async listen(healthAt: ListenAddress, webhookAt?: ListenAddress): Promise<AddressInfo[]> {
    const addresses = [healthAt];
    if (webhookAt !== undefined && (webhookAt.host !== healthAt.host || webhookAt.port !== healthAt.port)) {
      addresses.push(webhookAt);
    }
    const bound: AddressInfo[] = [];
    for (const address of addresses) {
      const server = createServer((request, response) => void this.route(request, response));
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(address.port, address.host, () => resolve());
      });
      this.servers.push(server);
      bound.push(server.address() as AddressInfo);
    }
    return bound;
  }

  async close(): Promise<void> {
    await Promise.all(
      this.servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
    );
  }

  private async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      if (this.webhook?.handles(request)) {
        return await this.webhook.answer(request, response);
      }
      if (request.method === 'GET' && (request.url ?? '').split('?')[0] === '/health') {
        const status = this.health.status();
        const body = {
          status: status.lastError === null ? 'ok' : 'failing',
          service: this.health.service,
          mode: this.health.mode,
          adapter: this.health.adapter,
          ...status,
        };
        return void response
          .writeHead(status.lastError === null ? 200 : 503, { 'content-type': 'application/json' })
          .end(JSON.stringify(body));
      }
      response.writeHead(404).end();
    } catch (error) {
      this.log.error('request failed', { error: String(error) });
      if (!response.headersSent) {
        response.writeHead(500);
      }
      response.end();
    }
  }
}
