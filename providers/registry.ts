// The providers posture knows, registered once. Everything provider-specific elsewhere (posture.yaml
// sections, the deployment's scopes, CLI options, IAM statements, event rules, pull credentials, the scope
// collectors run by the CLI and the sweep) is read from these declarations.
//
// This module is a leaf: the declarations import zod and their own settings only (test/providers/registry.test.ts
// checks it), so core/config.ts and core/asset.ts can read it without an import cycle.
import { z } from 'zod';
import { awsProvider } from './aws/provider.ts';
import { azureProvider } from './azure/provider.ts';
import { gcpProvider } from './gcp/provider.ts';
import { kubernetesProvider } from './kubernetes/provider.ts';
import type { ProviderDeclaration } from './provider.ts';

export const providers = [awsProvider, azureProvider, gcpProvider, kubernetesProvider] as const;

type Registered = (typeof providers)[number];
export type ProviderId = Registered['id'];
type ById<Id extends ProviderId> = Extract<Registered, { id: Id }>;
export type SettingsOf<Id extends ProviderId> = ById<Id> extends ProviderDeclaration<Id, infer S, unknown, unknown> ? S : never;
export type DeploymentOf<Id extends ProviderId> = ById<Id> extends ProviderDeclaration<Id, unknown, infer D, unknown> ? D : never;
export type AccessOf<Id extends ProviderId> = ById<Id> extends ProviderDeclaration<Id, unknown, unknown, infer A> ? A : never;

/** Credential and transport overrides per provider (tests, other hosts). */
export type AccessMap = { [Id in ProviderId]?: AccessOf<Id> };
/** posture.yaml provider sections, parsed or partial. */
export type SettingsMap = { [Id in ProviderId]?: SettingsOf<Id> | Record<string, unknown> };
export type DeploymentMap = { [Id in ProviderId]?: DeploymentOf<Id> };

export const providerIds = providers.map((p) => p.id) as [ProviderId, ...ProviderId[]];
export const ProviderIdSchema = z.enum(providerIds);

/** Providers that run registries (their hosts get pull credentials, their regions locate images). */
export const registryProviderIds = providers.filter((p) => 'registries' in p && p.registries).map((p) => p.id) as [ProviderId, ...ProviderId[]];

/** The declaration with its types erased, for code that treats every provider alike. */
export type AnyProvider = ProviderDeclaration<ProviderId, unknown, unknown, unknown>;

export function providerById(id: string): AnyProvider | undefined {
  return (providers as readonly AnyProvider[]).find((p) => p.id === id);
}

export function allProviders(): readonly AnyProvider[] {
  return providers as readonly AnyProvider[];
}

/** The `<id>:` sections of posture.yaml, one per provider, each defaulted. */
export const providerSettingsShape = Object.fromEntries(providers.map((p) => [p.id, p.settings])) as { [P in Registered as P['id']]: P['settings'] };

/** The estate a deployment sweeps (CDK context `scopes`), one key per provider. */
export const DeploymentScopes = z.object(Object.fromEntries(providers.map((p) => [p.id, p.deployment])) as { [P in Registered as P['id']]: P['deployment'] }).strict();
export type DeploymentScopes = z.infer<typeof DeploymentScopes>;
export type DeploymentScopesInput = z.input<typeof DeploymentScopes>;
