// awskms:// references as cosign takes them (awskms://[endpoint]/<key id | alias/name | ARN>), and the
// GetPublicKey grant the worker's role gets for each (IAM authorizes GetPublicKey on the key, never the alias).
import { expect, it } from 'vitest';
import { kmsIamStatements, parseAwsKmsRef } from '../../supply-chain/kms.ts';

it('reads key ids, aliases and ARNs, with the region an ARN names', () => {
  expect(parseAwsKmsRef('awskms:///1234abcd-12ab-34cd-56ef-1234567890ab')).toEqual({ endpoint: null, keyId: '1234abcd-12ab-34cd-56ef-1234567890ab', region: null });
  expect(parseAwsKmsRef('awskms:///alias/release')).toEqual({ endpoint: null, keyId: 'alias/release', region: null });
  expect(parseAwsKmsRef('awskms://kms.eu-west-1.amazonaws.com/arn:aws:kms:eu-west-1:111122223333:key/k1')).toEqual({
    endpoint: 'kms.eu-west-1.amazonaws.com',
    keyId: 'arn:aws:kms:eu-west-1:111122223333:key/k1',
    region: 'eu-west-1',
  });
  expect(() => parseAwsKmsRef('awskms://no-key')).toThrow('is not awskms://');
});

it('grants kms:GetPublicKey on the keys named, and on keys in general only for bare aliases', () => {
  expect(kmsIamStatements([])).toEqual([]);
  expect(kmsIamStatements(['awskms:///arn:aws:kms:eu-west-1:111122223333:key/k1', 'awskms:///arn:aws:kms:eu-west-1:111122223333:alias/release'])).toEqual([
    { sid: 'SignatureKmsPublicKeys', actions: ['kms:GetPublicKey'], resources: ['arn:aws:kms:eu-west-1:111122223333:key/*', 'arn:aws:kms:eu-west-1:111122223333:key/k1'] },
  ]);
  expect(kmsIamStatements(['awskms:///alias/release'])[0]?.resources).toEqual(['arn:aws:kms:*:*:key/*']);
});
