// ACR login server names (`<registry>.azurecr.io`, sovereign `.cn` / `.us`).
export function isAcrHost(host: string): boolean {
  return /^[a-z0-9]{5,50}(-[a-z0-9]+)?\.azurecr\.(io|cn|us)$/.test(host.toLowerCase());
}
