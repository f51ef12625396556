// Kubernetes resource quantities ("500m", "1.5", "128Mi", "1G", "1e3") as plain numbers: CPU in millicores,
// memory in MiB. The suffixes are those of the Kubernetes API's resource.Quantity; anything else is null
// (not a limit we can reason about), never a guess.
const binary: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const decimal: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** The quantity in base units (cores, bytes), or null when it is not a valid quantity. */
export function parseQuantity(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : null;
  if (typeof value !== 'string') return null;
  const m = /^\+?(\d+(?:\.\d*)?|\.\d+)(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/.exec(value.trim());
  if (!m) return null;
  const number = Number(m[1]);
  if (m[2]) return number * 10 ** Number(m[2].slice(1));
  const suffix = m[3] ?? '';
  const factor = binary[suffix] ?? decimal[suffix];
  return factor === undefined ? null : number * factor;
}

export function millicores(value: unknown): number | null {
  const cores = parseQuantity(value);
  return cores === null ? null : Math.ceil(cores * 1000);
}

export function mebibytes(value: unknown): number | null {
  const bytes = parseQuantity(value);
  return bytes === null ? null : Math.round((bytes / 2 ** 20) * 1000) / 1000;
}
