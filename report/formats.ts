// The report formats `posture scan --format` offers (each rendered by report/<format>.ts).
export const formats = ['table', 'json', 'sarif', 'html', 'junit', 'csv', 'ocsf', 'asff', 'cyclonedx', 'spdx-json'] as const;
export type Format = (typeof formats)[number];
