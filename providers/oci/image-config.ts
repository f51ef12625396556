// Turns the image config (the JSON the runtime reads) into the normalized `image.config` rules judge.
import type { ImageAsset } from '../../core/asset.ts';
import type { ImageConfig } from './manifest.ts';

export type NormalizedConfig = ImageAsset['image']['config'];

export function normalizeConfig(config: ImageConfig): NormalizedConfig {
  const c = config.config ?? {};
  return {
    user: c.User ?? '',
    env: (c.Env ?? []).map((pair) => {
      const eq = pair.indexOf('=');
      return eq < 0 ? { name: pair, value: '' } : { name: pair.slice(0, eq), value: pair.slice(eq + 1) };
    }),
    exposedPorts: Object.keys(c.ExposedPorts ?? {}).sort(),
    healthcheck: c.Healthcheck?.Test ?? null,
    labels: c.Labels ?? {},
    entrypoint: c.Entrypoint ?? [],
    cmd: c.Cmd ?? [],
    created: config.created ?? null,
    history: (config.history ?? []).map((h) => ({ createdBy: h.created_by ?? '', emptyLayer: h.empty_layer ?? false })),
  };
}
