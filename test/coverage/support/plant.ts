/** A planted misconfiguration: the asset that carries it and its twin with only that setting fixed (asset ids). */
export interface Plant {
  bad: string;
  good: string;
}
