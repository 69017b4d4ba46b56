import { DomainError } from '@stepwise/common/domain-error';
import { decodeUtf8 } from '@stepwise/common/storable-text';

/**
 * A request body's bytes as text, or a 400 naming where they stop being UTF-8. Fastify's own
 * parsers decode leniently, so a stray byte, an overlong form or an encoded surrogate would be
 * stored as U+FFFD with a 201; refused here, like a NUL or a lone surrogate is by the pipe.
 */
export function utf8Body(bytes: Buffer): string {
  const decoded = decodeUtf8(bytes);
  if ('text' in decoded) {
    return decoded.text;
  }
  const at = decoded.invalidAt;
  const byte = bytes[at].toString(16).padStart(2, '0');
  throw DomainError.validation([
    { field: 'body', message: `is not valid UTF-8: byte 0x${byte} at offset ${at}` },
  ]);
}
