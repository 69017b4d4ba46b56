export const perSecond = (count: number, ms: number): number => Math.round((count * 1000) / ms);

export const fmt = (value: number): string => value.toLocaleString('en-US', { maximumFractionDigits: 2 });

/** Runs a benchmark's main; a failure prints its stack and exits 1. */
export function runBenchmark(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
