import type { Dispatcher } from 'undici';

export interface StatusOnlyPost {
  origin: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  /** One deadline for connect, headers and body. */
  timeoutMs: number;
  /** Response bytes read and dropped before the connection is cut instead of reused. */
  responseLimit: number;
}

/**
 * POSTs and resolves with the receiver's status once its answer ended, reading and dropping the
 * response body. It is undici's `request` without what a webhook send never uses: no response
 * stream, no AbortController and its listeners (measured: a visible share of a send's CPU; figure
 * in docs/benchmarks.md), just a dispatch handler and one timer that aborts the request through
 * its controller.
 *
 * Rejects when no status arrived (connect or network error, timeout: the error is a
 * `TimeoutError`). Once the status is known a failure reading the body only costs the socket,
 * so it still resolves with the status.
 */
export function postForStatus(dispatcher: Dispatcher, post: StatusOnlyPost): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let controller: Dispatcher.DispatchController | null = null;
    let statusCode: number | null = null;
    let received = 0;
    let settled = false;
    const settle = (error: Error | null): void => {
      if (settled) {
        return;
      }
      settled = true;
      clearTimeout(deadline);
      if (statusCode !== null) {
        resolve(statusCode);
      } else {
        reject(error ?? new Error('the receiver ended the exchange without a status'));
      }
    };
    const timeout = (): Error => new DOMException(`timeout after ${post.timeoutMs} ms`, 'TimeoutError');
    // Before the request starts there is no controller yet: it is aborted as soon as it does.
    const deadline = setTimeout(() => {
      if (controller !== null) {
        controller.abort(timeout());
      } else {
        settle(timeout());
      }
    }, post.timeoutMs);
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart: (started) => {
        controller = started;
        if (settled) {
          started.abort(timeout());
        }
      },
      onResponseStart: (_controller, status) => {
        // 1xx answers are interim; the final status follows.
        if (status >= 200) {
          statusCode = status;
        }
      },
      onResponseData: (current, chunk) => {
        received += chunk.length;
        if (received > post.responseLimit) {
          current.abort(new Error(`response body over ${post.responseLimit} bytes, connection dropped`));
        }
      },
      onResponseEnd: () => settle(null),
      onResponseError: (_controller, error) => settle(error),
    };
    dispatcher.dispatch(
      { origin: post.origin, path: post.path, method: 'POST', headers: post.headers, body: post.body },
      handler,
    );
  });
}
