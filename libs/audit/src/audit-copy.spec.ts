import type { ClientBase } from 'pg';
import { copyField, copyIn } from './audit-copy';

/** The part of a query the fake client drives. */
interface FakeQuery {
  submit(connection: unknown): void;
  handleError(error: Error): void;
  handleReadyForQuery(): void;
}

/** A client that runs the query on a connection recording writes, then answers as told. */
function fakeClient(answer: (query: FakeQuery) => void) {
  const writes: string[][] = [];
  let corked = 0;
  let pending: string[] = [];
  const record = (message: string) => {
    pending.push(message);
    if (corked === 0) {
      flush();
    }
  };
  const flush = () => {
    if (pending.length > 0) {
      writes.push(pending);
    }
    pending = [];
  };
  const connection = {
    stream: {
      cork: () => void (corked += 1),
      uncork: () => {
        corked -= 1;
        if (corked === 0) {
          flush();
        }
      },
    },
    query: (text: string) => record(`query:${text}`),
    sendCopyFromChunk: (chunk: Buffer) => record(`data:${chunk.toString()}`),
    endCopyFrom: () => record('done'),
    sendCopyFail: (message: string) => record(`fail:${message}`),
  };
  const client = {
    query: (query: FakeQuery) => {
      query.submit(connection);
      answer(query);
    },
  } as unknown as ClientBase;
  return { client, writes };
}

const ok = (query: FakeQuery) => query.handleReadyForQuery();

describe(copyIn.name, () => {
  it('sends the query and its data without waiting for the server, each chunk once the next is ready', async () => {
    const produced: string[] = [];
    function* chunks() {
      for (const text of ['a', 'b', 'c']) {
        produced.push(text);
        yield Buffer.from(text);
      }
    }
    const { client, writes } = fakeClient(ok);
    await copyIn(client, 'COPY t FROM STDIN', chunks());
    expect(produced).toEqual(['a', 'b', 'c']);
    expect(writes).toEqual([['query:COPY t FROM STDIN', 'data:a'], ['data:b'], ['data:c', 'done']]);
  });

  it('sends one chunk, its query and CopyDone in one write', async () => {
    const { client, writes } = fakeClient(ok);
    await copyIn(client, 'COPY t FROM STDIN', [Buffer.from('only')]);
    expect(writes).toEqual([['query:COPY t FROM STDIN', 'data:only', 'done']]);
  });

  it('fails the COPY when its data cannot be produced, and rejects with the server error', async () => {
    function* chunks(): Generator<Buffer> {
      yield Buffer.from('a');
      throw new Error('hashing failed');
    }
    const { client, writes } = fakeClient((query) =>
      query.handleError(new Error('COPY failed: hashing failed')),
    );
    await expect(copyIn(client, 'COPY t FROM STDIN', chunks())).rejects.toThrow('COPY failed');
    expect(writes.flat()).toEqual(['query:COPY t FROM STDIN', 'fail:hashing failed']);
  });
});

describe('copyField', () => {
  it('escapes the separators and writes NULL as \\N', () => {
    expect(copyField('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    expect(copyField(null)).toBe('\\N');
    expect(copyField(12)).toBe('12');
  });
});
