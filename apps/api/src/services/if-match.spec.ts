import { DomainError, ErrorCode } from '@stepwise/common/domain-error';
import { expectedVersion, serviceEtag } from './if-match';

const codeOf = (ifMatch: string | undefined): ErrorCode | number => {
  try {
    return expectedVersion(ifMatch);
  } catch (error) {
    return (error as DomainError).code;
  }
};

describe(expectedVersion.name, () => {
  it('reads the version of the ETag it issued', () => {
    expect(codeOf(serviceEtag(12))).toBe(12);
  });

  it('requires the header (428)', () => {
    expect(codeOf(undefined)).toBe(ErrorCode.PreconditionRequired);
    expect(codeOf(' ')).toBe(ErrorCode.PreconditionRequired);
  });

  it.each(['*', 'W/"3"', '3', '"abc"', '"1", "2"'])('treats %s as naming no version (412)', (ifMatch) => {
    expect(codeOf(ifMatch)).toBe(ErrorCode.PreconditionFailed);
  });
});
