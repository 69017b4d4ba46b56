export const perSecond = (count: number, ms: number): number => Math.round((count * 1000) / ms);

export const fmt = (value: number): string => value.toLocaleString('en-US', { maximumFractionDigits: 2 });

/** Runs a benchmark's main; a failure prints its stack and exits 1. */
export function runBenchmark(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}

/** Runs `send(0 … count-1)` from `concurrency` loops; the wall time in ms. */
export async function concurrently(
  count: number,
  concurrency: number,
  send: (index: number) => Promise<void>,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const index = next;
        next += 1;
        await send(index);
      }
    }),
  );
  return performance.now() - started;
}
