// `[epoch:]body-tail`: the layout Debian (deb-version(7)) and RPM versions share. The epoch is the digits
// before the first colon (0 when there is none); the tail (Debian revision, RPM release) follows the last
// dash. Each format then compares the parts its own way.

export interface EpochVersion {
  epoch: number;
  /** Debian upstream version, RPM version. */
  body: string;
  /** Debian revision, RPM release; '' when there is none. */
  tail: string;
}

/** Null for an empty version, one with whitespace, or an epoch that is not a number. */
export function splitEpoch(text: string): EpochVersion | null {
  const v = text.trim();
  if (v === '' || /\s/.test(v)) return null;
  const colon = v.indexOf(':');
  let epoch = 0;
  let rest = v;
  if (colon >= 0) {
    const e = v.slice(0, colon);
    if (!/^\d+$/.test(e)) return null;
    epoch = Number(e);
    rest = v.slice(colon + 1);
  }
  const dash = rest.lastIndexOf('-');
  return { epoch, body: dash >= 0 ? rest.slice(0, dash) : rest, tail: dash >= 0 ? rest.slice(dash + 1) : '' };
}
