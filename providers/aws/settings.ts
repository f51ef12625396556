// The `aws:` section of posture.yaml: which accounts and regions `posture scan --aws` reads, how it reaches
// them and how hard it pushes. Credentials never appear here (the SDK default chain, AssumeRole per account).
import { z } from 'zod';

export const AwsAccountId = z.string().regex(/^\d{12}$/, 'an AWS account id is 12 digits');
export const AwsRegionName = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'an AWS region name looks like eu-west-1');
/** `{region}` and `{account}` are filled per scope, so one entry serves VPC endpoints, FIPS and test stand-ins. */
export const EndpointTemplate = z.string().regex(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, 'an endpoint is an http(s) URL');

/** `posture scan --aws`: which accounts and regions to read, how to reach them, how hard to push. */
export const AwsSettings = z
  .object({
    /** Role assumed in every account other than the caller's own (the caller's is read directly). */
    roleName: z.string().regex(/^[\w+=,.@-]{1,64}$/, 'an IAM role name').default('PostureAudit'),
    rolePath: z.string().regex(/^\/([\w+=,.@-]+\/)*$/, 'an IAM path like / or /security/').default('/'),
    externalId: z.string().min(2).max(1224).optional(),
    sessionName: z.string().regex(/^[\w+=,.@-]{2,64}$/).default('posture'),
    /** Accounts to scan; empty means the caller's own (plus the organization's with `organizations`). */
    accounts: z.array(AwsAccountId).default([]),
    /** Add every ACTIVE account from AWS Organizations ListAccounts (needs the management or a delegated account). */
    organizations: z.boolean().default(false),
    /** Regions to scan; empty means every region enabled for each account (EC2 DescribeRegions). */
    regions: z.array(AwsRegionName).default([]),
    /** Region for global calls (STS, Organizations, DescribeRegions); default from AWS_REGION, else us-east-1. */
    homeRegion: AwsRegionName.optional(),
    services: z.array(z.enum(['ecr', 'ecs', 'eks'])).min(1).default(['ecr', 'ecs', 'eks']),
    /** Per-service API endpoint overrides (VPC endpoints, FIPS, stand-ins). */
    endpoints: z.partialRecord(z.enum(['sts', 'ec2', 'iam', 'organizations', 'ecr', 'ecs', 'eks', 'inspector2']), EndpointTemplate).default({}),
    /** Where ECR images are pulled from; default https://{account}.dkr.ecr.{region}.amazonaws.com. */
    registryEndpoint: EndpointTemplate.optional(),
    useFipsEndpoint: z.boolean().default(false),
    /** Most recently pushed images pulled and analyzed per repository; 0 reads repositories only. */
    imagesPerRepository: z.number().int().min(0).max(1000).default(3),
    analyzeLayers: z.boolean().default(true),
    /**
     * Read ECR's own scanner for each pulled ECR image (REG-002, and `detectedBy` on our own matches): Amazon
     * Inspector's findings (ListFindings) where the registry's scanning is ENHANCED, ECR's basic scan otherwise.
     */
    nativeFindings: z.boolean().default(true),
    /** In-flight API requests across all accounts and regions, and account × region scopes worked at once. */
    concurrency: z
      .object({ requests: z.number().int().min(1).max(256).default(16), scopes: z.number().int().min(1).max(64).default(4) })
      .strict()
      .prefault({}),
    /** SDK attempts per request in adaptive retry mode (throttling backs off and slows the client). */
    maxAttempts: z.number().int().min(1).max(20).default(6),
  })
  .strict();
export type AwsSettings = z.infer<typeof AwsSettings>;
