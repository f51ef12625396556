// ACR registry (ARM wire JSON or @azure/arm-containerregistry object) plus its replications →
// `registry` asset. The SDK flattens `properties` and renames network rules' `value` to `iPAddressOrRange`.
import { z } from 'zod';
import type { ImageStoreAsset } from '../../core/asset.ts';
import { armField, armFormOf, normalizeLocation, readArmResource } from './arm-fields.ts';


const enabled = (status: unknown) => (typeof status === 'string' ? status.toLowerCase() === 'enabled' : null);
const text = (v: unknown) => (typeof v === 'string' ? v : null);

export interface AcrRegistryInput {
  resource: unknown;
  /** The registry's geo-replications; absent when not collected. */
  replications?: unknown[];
  diagnosticSettings?: unknown[];
  /** Inputs whose collection failed, with why (their keys are then absent above). */
  failed?: { replications?: string };
}

/** Each private endpoint connection's approval state, from either form (wire: under `properties`). */
function privateEndpointStates(connections: unknown): (string | null)[] {
  return z
    .array(z.unknown())
    .catch([])
    .parse(connections ?? [])
    .map((c) => text(armField(c, armFormOf(c), ['privateLinkServiceConnectionState', 'status'])));
}

export function normalizeAcrRegistry(input: AcrRegistryInput, ctx: { collectedAt: string; source?: string }): ImageStoreAsset {
  const arm = readArmResource(input.resource);
  const { envelope: env, field, location } = arm;
  const sku = env.sku?.name ?? null;
  const publicNetwork = field('publicNetworkAccess');
  const defaultAction = field('networkRuleSet', 'defaultAction');
  // Reachable from the internet unless public network access is off or (Premium only) rules deny by default.
  const networkOpen = !(
    (typeof publicNetwork === 'string' && publicNetwork.toLowerCase() === 'disabled') ||
    (typeof defaultAction === 'string' && defaultAction.toLowerCase() === 'deny' && sku === 'Premium')
  );
  // As for ECR and Artifact Registry, "public" means anyone may pull: anonymous pull on a reachable registry.
  const publicAccess = field('anonymousPullEnabled') === true && networkOpen;
  const keyId = field('encryption', 'keyVaultProperties', 'keyIdentifier');
  const encryptionOn = enabled(field('encryption', 'status')) === true;
  const retention = enabled(field('policies', 'retentionPolicy', 'status'));
  const replicaLocations = (input.replications ?? [])
    .map((r) => z.object({ location: z.string() }).loose().safeParse(r))
    .flatMap((r) => (r.success ? [normalizeLocation(r.data.location)] : []));
  const login = field('loginServer');
  const replicationsFailed = input.failed?.replications;
  return {
    ...arm.assetBase('acr', ctx),
    kind: 'registry',
    raw: {
      resource: input.resource,
      ...(input.replications !== undefined ? { replications: input.replications } : {}),
      ...(input.diagnosticSettings !== undefined ? { diagnosticSettings: input.diagnosticSettings } : {}),
    },
    ...(replicationsFailed
      ? {
          collectionErrors: [
            { input: 'raw.replications', message: replicationsFailed },
            { input: 'registry.replicaLocations', message: replicationsFailed },
          ],
        }
      : {}),
    registry: {
      service: 'acr',
      name: env.name,
      uri: typeof login === 'string' ? login : `${env.name.toLowerCase()}.azurecr.io`,
      // ACR has no scan-on-push of its own (Defender for Containers scans); quarantine is the nearest gate.
      scanOnPush: null,
      tagImmutable: null,
      encryption: { type: encryptionOn ? 'CMK' : 'MICROSOFT_MANAGED', keyId: encryptionOn && typeof keyId === 'string' ? keyId : null },
      publicAccess,
      adminUser: field('adminUserEnabled') === true,
      lifecyclePolicy: retention,
      replicaLocations: [...new Set(replicaLocations.filter((l) => l !== location))].sort(),
      acr: {
        sku,
        anonymousPullEnabled: typeof field('anonymousPullEnabled') === 'boolean' ? (field('anonymousPullEnabled') as boolean) : null,
        publicNetworkAccess: text(publicNetwork),
        networkDefaultAction: text(defaultAction),
        exportPolicy: text(field('policies', 'exportPolicy', 'status')),
        privateEndpointStates: privateEndpointStates(field('privateEndpointConnections')),
      },
    },
  };
}

/** The IP ranges a registry's network rules allow, in either form (`value` on the wire, `iPAddressOrRange` in the SDK). */
export function acrAllowedRanges(resource: unknown): string[] {
  const rules = armField(resource, armFormOf(resource), ['networkRuleSet', 'ipRules']);
  return z
    .array(z.object({ value: z.string().optional(), iPAddressOrRange: z.string().optional() }).loose())
    .catch([])
    .parse(rules ?? [])
    .flatMap((r) => (r.value ?? r.iPAddressOrRange ? [(r.value ?? r.iPAddressOrRange) as string] : []));
}
