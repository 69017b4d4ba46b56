import { registerDecorator, ValidationOptions } from 'class-validator';
import { IANAZone } from 'luxon';
import { AddressRanges } from '@stepwise/common/address-ranges';
import { WebhookAllowlist } from '@stepwise/connectors/webhook-allowlist';

const urlWithProtocol =
  (protocols: string[]) =>
  (value: unknown): boolean => {
    if (typeof value !== 'string') {
      return false;
    }
    try {
      const url = new URL(value);
      return protocols.includes(url.protocol) && url.hostname.length > 0;
    } catch {
      return false;
    }
  };

function simpleDecorator(name: string, test: (value: unknown) => boolean, message: string) {
  return (options?: ValidationOptions) =>
    (target: object, propertyName: string): void =>
      registerDecorator({
        name,
        target: target.constructor,
        propertyName,
        options: { message: `${propertyName} ${message}`, ...options },
        validator: { validate: test },
      });
}

export const IsDatabaseUrl = simpleDecorator(
  'isDatabaseUrl',
  urlWithProtocol(['postgres:', 'postgresql:']),
  'must be a postgres:// URL',
);

/** The path, if any, selects a database by number (`/2`): it also names the pub/sub channels. */
const selectsNumberedDatabase = (value: unknown): boolean =>
  typeof value === 'string' && /^\/?\d*$/.test(new URL(value).pathname);

export const IsRedisUrl = simpleDecorator(
  'isRedisUrl',
  (value) => urlWithProtocol(['redis:', 'rediss:'])(value) && selectsNumberedDatabase(value),
  'must be a redis:// URL, with a database number as its path if any (redis://host:6379/2)',
);

export const IsIanaZone = simpleDecorator(
  'isIanaZone',
  (value) => typeof value === 'string' && IANAZone.isValidZone(value),
  'must be an IANA time zone such as Asia/Tokyo',
);

const parsesAsAllowlist = (value: unknown): boolean => {
  if (typeof value !== 'string') {
    return false;
  }
  try {
    WebhookAllowlist.parse(value);
    return true;
  } catch {
    return false;
  }
};

export const IsWebhookAllowlist = simpleDecorator(
  'isWebhookAllowlist',
  parsesAsAllowlist,
  'must be comma-separated hostnames, addresses and CIDRs (e.g. 127.0.0.1/32,receiver.internal)',
);

const parsesAsAddressRanges = (value: unknown): boolean => {
  if (typeof value !== 'string') {
    return false;
  }
  try {
    AddressRanges.parse(value);
    return true;
  } catch {
    return false;
  }
};

export const IsAddressRanges = simpleDecorator(
  'isAddressRanges',
  parsesAsAddressRanges,
  'must be comma-separated addresses and CIDRs (e.g. 10.0.0.0/8,192.0.2.7)',
);
