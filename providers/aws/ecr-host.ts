// ECR registry host names, both ways. One definition for the collectors, the event router and the pull path.
const ecrHostPattern = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d+)\.amazonaws\.com(\.cn)?$/;

/** Account, region and partition of an ECR registry host, or null for any other host. */
export function parseEcrHost(host: string): { account: string; region: string; partition: string } | null {
  const m = ecrHostPattern.exec(host.toLowerCase());
  if (!m) return null;
  return { account: m[1] as string, region: m[2] as string, partition: m[3] ? 'aws-cn' : 'aws' };
}

/** `{account}.dkr.ecr.{region}.amazonaws.com`, `.com.cn` in the China partition (whose regions start with cn-). */
export function ecrRegistryHost(account: string, region: string, partition = region.startsWith('cn-') ? 'aws-cn' : 'aws'): string {
  return `${account}.dkr.ecr.${region}.amazonaws.com${partition === 'aws-cn' ? '.cn' : ''}`;
}
