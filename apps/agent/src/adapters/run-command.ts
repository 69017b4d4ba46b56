import { execFile } from 'node:child_process';

export interface CommandResult {
  ok: boolean;
  output: string;
}

/** Runs argv without a shell; never throws for a non-zero exit, only reports it with its output. */
export function runCommand(
  argv: readonly string[],
  input?: string,
  timeoutMs = 30_000,
): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = execFile(
      argv[0],
      argv.slice(1),
      { timeout: timeoutMs, maxBuffer: 1 << 20 },
      (error, stdout, stderr) => {
        const output = `${stderr}${stdout}`.trim();
        resolve({
          ok: error === null,
          output:
            error === null ? output : `${error.message.split('\n')[0]}${output === '' ? '' : `: ${output}`}`,
        });
      },
    );
    if (input !== undefined) {
      child.stdin?.end(input);
    }
  });
}
