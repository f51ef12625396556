// `host` or `host:port` from the settings → google-gax endpoint options. Its own module so the image path's
// native-scan reader can use it without the scope collectors' SDKs (providers/provider.ts).
import type { ClientOptions } from 'google-gax';

export function endpointOptions(hostPort: string | undefined): ClientOptions {
  if (!hostPort) return {};
  const [host, port] = hostPort.split(':');
  return { apiEndpoint: host, ...(port ? { port: Number(port) } : {}) };
}
