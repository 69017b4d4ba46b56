import { ChainCheck, ChainVerdict } from './audit-chain-check';
import { parseNdjsonLine } from './audit-ndjson';

/**
 * Verifies an NDJSON export with no database: the lines must hold the whole chain from genesis,
 * in order. Pure over its input (lines in, verdict out), so the CLI and the tests share it, and an
 * auditor can compare the head hash it reports with the live `GET /audit/verify`.
 */
export async function verifyNdjsonExport(
  lines: Iterable<string> | AsyncIterable<string>,
): Promise<ChainVerdict> {
  const chain = new ChainCheck();
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber += 1;
    if (line.trim() === '') {
      continue;
    }
    const event = parseNdjsonLine(line);
    const accepted =
      typeof event === 'string'
        ? chain.fail(chain.nextSeq, `line ${lineNumber}: ${event}`)
        : chain.add(event);
    if (!accepted) {
      break;
    }
  }
  return chain.verdict();
}
