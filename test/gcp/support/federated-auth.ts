// The credentials posture's Lambda uses for Google Cloud: google-auth-library's AWS workload identity
// federation client (what ADC builds from an `external_account` file with the AWS provider), exchanging a
// signed GetCallerIdentity at the Google STS stand-in (google-sts.ts) for an access token. Here the AWS
// credentials come from a supplier instead of the Lambda environment.
import { AwsClient } from 'google-auth-library';

export function federatedAuthClient(tokenUrl: string, audience: string): AwsClient {
  return new AwsClient({
    type: 'external_account',
    audience,
    subject_token_type: 'urn:ietf:params:aws:token-type:aws4_request',
    token_url: tokenUrl,
    scopes: ['https://www.googleapis.com/auth/cloud-platform'],
    aws_security_credentials_supplier: {
      getAwsRegion: async () => 'eu-west-1',
      getAwsSecurityCredentials: async () => ({ accessKeyId: 'ASIAPOSTURETESTKEY01', secretAccessKey: 'posture-test-secret-key', token: 'posture-test-session' }),
    },
  });
}
