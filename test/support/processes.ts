import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** A free TCP port on loopback. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

export interface RunningProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves when the output contains `text`, rejects after `timeoutMs`. */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>;
  exited(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts a built app (`dist/...`) as its own process, collecting stdout and stderr. */
export function startProcess(
  script: string,
  env: Record<string, string | undefined>,
  args: string[] = [],
  nodeArgs: string[] = [],
): RunningProcess {
  const child = spawn(process.execPath, [...nodeArgs, script, ...args], { env: { ...process.env, ...env } });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const within = <T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> =>
    Promise.race([
      promise,
      new Promise<T>((_, reject) =>
        setTimeout(
          () => reject(new Error(`${what} not within ${timeoutMs} ms; output:\n${output}`)),
          timeoutMs,
        ).unref(),
      ),
    ]);
  return {
    child,
    output: () => output,
    waitFor: (text, timeoutMs = 20000) =>
      within(
        new Promise<void>((resolve) => {
          const check = (): void => {
            if (typeof text === 'string' ? output.includes(text) : text.test(output)) {
              resolve();
            } else {
              setTimeout(check, 50);
            }
          };
          check();
        }),
        timeoutMs,
        `output ${String(text)}`,
      ),
    exited: (timeoutMs = 30000) => within(exit, timeoutMs, 'exit'),
  };
}
