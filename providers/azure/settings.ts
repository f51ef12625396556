// The `azure:` section of posture.yaml. Credentials come from @azure/identity (or federation from AWS), never from here.
import { z } from 'zod';
import { AwsRegionName } from '../aws/settings.ts';

const AzureGuid = z.guid('an Azure subscription, tenant or client id is a GUID');

/** `posture scan --azure`: which subscriptions to read and how. Credentials come from @azure/identity, never from here. */
export const AzureSettings = z
  .object({
    subscriptions: z.array(AzureGuid).default([]),
    services: z.array(z.enum(['aks', 'acr'])).min(1).default(['aks', 'acr']),
    /** Azure Resource Manager endpoint; default https://management.azure.com (set it for sovereign clouds). */
    endpoint: z.string().regex(/^https:\/\/[^\s/]+\/?$/, 'the ARM endpoint is an https:// origin').optional(),
    /**
     * Workload identity federation from AWS: an Entra app or user-assigned identity that trusts this
     * Lambda role's STS web identity token. Without it the default chain (env, managed identity, az) is used.
     */
    federation: z
      .object({
        tenantId: AzureGuid,
        clientId: AzureGuid,
        audience: z.string().min(1).default('api://AzureADTokenExchange'),
        /** STS region for GetWebIdentityToken (regional endpoints only); default AWS_REGION. */
        stsRegion: AwsRegionName.optional(),
        signingAlgorithm: z.enum(['RS256', 'ES384']).default('RS256'),
      })
      .strict()
      .optional(),
    /** ACR images to pull and analyze (host/repository:tag or @digest); registries are read either way. */
    images: z.array(z.string().min(3)).default([]),
    analyzeLayers: z.boolean().default(true),
    /**
     * Read Microsoft Defender for Containers' findings for each pulled ACR image through Azure Resource Graph
     * (REG-002, and `detectedBy` on our own matches). Needs Reader on the registry's subscription.
     */
    defenderFindings: z.boolean().default(true),
    /** Subscriptions worked at once. */
    concurrency: z.number().int().min(1).max(64).default(4),
    /** Retries per ARM request (429 honours Retry-After; 5xx and dropped connections back off). */
    maxRetries: z.number().int().min(0).max(20).default(4),
  })
  .strict();
export type AzureSettings = z.infer<typeof AzureSettings>;
