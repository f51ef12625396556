// How collection errors read: the AWS code first, a hint for the two causes users hit most, and a
// bound on length because error bodies come from the network.
import { describe, expect, it } from 'vitest';
import { describeAwsError, scopeOf } from '../../providers/aws/scope.ts';

const awsError = (name: string, message: string, status = 400) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });

describe('collection error messages', () => {
  it('names access denials and regions that are not enabled', () => {
    expect(describeAwsError(awsError('AccessDeniedException', 'User: x is not authorized'))).toBe('access denied (AccessDeniedException): User: x is not authorized');
    expect(describeAwsError(awsError('UnrecognizedClientException', 'The security token included in the request is invalid.'))).toBe(
      'UnrecognizedClientException: The security token included in the request is invalid. (is the region enabled for this account?)',
    );
    expect(describeAwsError(awsError('ServiceUnavailableException', 'try later', 503))).toBe('ServiceUnavailableException (HTTP 503): try later');
  });

  it('bounds a hostile error body to one short line', () => {
    const text = describeAwsError(awsError('InternalFailure', `line one\n${'x'.repeat(100_000)}`, 500));
    expect(text.length).toBeLessThanOrEqual(601);
    expect(text).not.toContain('\n');
    expect(text.startsWith('InternalFailure (HTTP 500): line one x')).toBe(true);
  });

  it('builds scopes from the parts that are known', () => {
    expect(scopeOf('123456789012', undefined, 'regions')).toBe('aws/123456789012/regions');
    expect(scopeOf('123456789012', 'eu-west-1', 'ecr', 'repository', 'shop/api')).toBe('aws/123456789012/eu-west-1/ecr/repository/shop/api');
  });
});
