// A configuration a command cannot run with (posture.yaml, a flag's value, ~/.docker/config.json):
// the CLI exits 2 for it, before or while scanning, and says what to fix.
export class ConfigError extends Error {
  override name = 'ConfigError';
}
