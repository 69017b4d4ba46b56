import type { ServerResponse } from 'node:http';
import { Webhook } from 'standardwebhooks';
import {
  LocalReceiver,
  ReceivedRequest,
  startLocalReceiver,
} from '@stepwise/connectors/testing/local-receiver';

/** What a scripted receiver does with its n-th request (1-based): answer a status, or hold it. */
export type ReceiverStep = number | 'hold' | { redirect: string };

export interface ScriptedReceiver extends LocalReceiver {
  /** Requests received and not answered yet, while their connection is open. */
  held: ServerResponse[];
  /** Answers every held request with `status` (they may already be gone). */
  release(status?: number): void;
}

/** A local receiver on 127.0.0.1 whose answers follow `script`. */
export async function scriptedReceiver(
  script: (n: number, request: ReceivedRequest) => ReceiverStep,
): Promise<ScriptedReceiver> {
  const held: ServerResponse[] = [];
  let count = 0;
  const receiver = await startLocalReceiver((request, response) => {
    count += 1;
    const step = script(count, request);
    if (step === 'hold') {
      held.push(response);
      // The sender gave up (timeout) or died: no longer held.
      response.once('close', () => {
        const index = held.indexOf(response);
        if (index >= 0) {
          held.splice(index, 1);
        }
      });
    } else if (typeof step === 'number') {
      response.writeHead(step).end('{}');
    } else {
      response.writeHead(302, { location: step.redirect }).end();
    }
  });
  return {
    ...receiver,
    held,
    release: (status = 200) => {
      for (const response of held.splice(0)) {
        if (!response.destroyed) {
          response.writeHead(status).end('{}');
        }
      }
    },
  };
}

export function signatureHeaders(request: ReceivedRequest): Record<string, string> {
  const pick = (name: string): string => String(request.headers[name] ?? '');
  return {
    'webhook-id': pick('webhook-id'),
    'webhook-timestamp': pick('webhook-timestamp'),
    'webhook-signature': pick('webhook-signature'),
  };
}

/** The reference Standard Webhooks verifier; throws on a bad signature or a stale timestamp. */
export function verifyWithReference(secret: string, body: string, headers: Record<string, string>): unknown {
  return new Webhook(secret).verify(body, headers);
}

/** How many times each webhook-id arrived, over all the receivers given. */
export function webhookIdCounts(receivers: LocalReceiver[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const receiver of receivers) {
    for (const request of receiver.received) {
      const id = String(request.headers['webhook-id']);
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
  }
  return counts;
}

/** Receipts beyond the first of each webhook-id: what a receiver sees as duplicates. */
export const duplicateReceipts = (counts: Map<string, number>): number =>
  [...counts.values()].reduce((sum, n) => sum + n - 1, 0);
