import { Writable } from 'node:stream';
import { createPinoLogger, loggedUrl } from './pino-logger';

describe(loggedUrl.name, () => {
  it('hides a calendar feed key wherever it sits in the query, and nothing else', () => {
    expect(loggedUrl('/api/v1/schedule.ics?feed=abc.def')).toBe('/api/v1/schedule.ics?feed=[Redacted]');
    expect(loggedUrl('/api/v1/schedule.ics?from=2024-01-01&feed=abc.def&to=2025-01-01')).toBe(
      '/api/v1/schedule.ics?from=2024-01-01&feed=[Redacted]&to=2025-01-01',
    );
    expect(loggedUrl('/api/v1/schedule?from=2024-01-01')).toBe('/api/v1/schedule?from=2024-01-01');
    expect(loggedUrl('/api/v1/services/feedback?x=1')).toBe('/api/v1/services/feedback?x=1');
    expect(loggedUrl('/api/v1/schedule.ics?feedback=1&xfeed=2')).toBe(
      '/api/v1/schedule.ics?feedback=1&xfeed=2',
    );
  });

  it('hides a feed key whose parameter name is percent-encoded, as the API decodes it', () => {
    expect(loggedUrl('/api/v1/schedule.ics?from=2024-01-01&fe%65d=abc.def')).toBe(
      '/api/v1/schedule.ics?from=2024-01-01&fe%65d=[Redacted]',
    );
    expect(loggedUrl('/api/v1/schedule.ics?%66%65%65%64=abc.def#x')).toBe(
      '/api/v1/schedule.ics?%66%65%65%64=[Redacted]#x',
    );
    expect(loggedUrl('/api/v1/schedule.ics?%E0%A4%A=1')).toBe('/api/v1/schedule.ics?%E0%A4%A=1');
  });
});

describe(createPinoLogger.name, () => {
  it("logs a request's method, URL (without its feed key), host and address, and never its query", () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createPinoLogger('info', 'test', sink);
    logger.info(
      {
        req: {
          method: 'GET',
          url: '/api/v1/schedule.ics?feed=secret-key-value&from=2024-01-01',
          host: 'api.example',
          ip: '192.0.2.1',
          query: { feed: 'secret-key-value' },
          headers: { authorization: 'Bearer secret-token' },
          socket: { remotePort: 4242 },
        },
      },
      'incoming request',
    );
    expect(JSON.parse(lines[0]).req).toEqual({
      method: 'GET',
      url: '/api/v1/schedule.ics?feed=[Redacted]&from=2024-01-01',
      host: 'api.example',
      remoteAddress: '192.0.2.1',
      remotePort: 4242,
    });
    expect(lines.join('')).not.toMatch(/secret-key-value|secret-token/);
  });
});
