# METADATA
# title: GKE issues no client certificates and has no basic auth
# description: >-
#   Static client certificates (`masterAuth.clientCertificateConfig.issueClientCertificate`, or a
#   `clientKey` in the response) and basic-auth users (`masterAuth.username`) cannot be revoked
#   individually and must not exist. The key is never echoed into a finding.
# custom:
#   id: GKE-011
#   severity: high
#   kind: [cluster]
#   applies:
#     provider: [gcp]
#     distribution: [gke]
#   requires: [raw.cluster]
#   frameworks:
#     cis-gke-1.9: ["5.8.1"]
#     nist-800-53-r5: ["IA-2", "IA-5"]
#     pci-dss-4.0: ["8.3.1"]
#     disa-k8s-stig: ["V-245542"]
#     nist-800-190: ["4.3.2"]
#   unverified: [nist-800-53-r5, pci-dss-4.0, nist-800-190]
#   remediation: >-
#     Client certificates and basic auth cannot be removed in place on older clusters: create a
#     replacement cluster without `--issue-client-certificate` and with no username, and migrate.
package posture.rules.gke_011

import data.posture.lib.gcp
import rego.v1

violation contains {
	"msg": sprintf("GKE cluster %s issues a static client certificate", [input.cluster.name]),
	"path": "masterAuth/clientCertificateConfig/issueClientCertificate",
	"evidence": true,
} if {
	gcp.is_gke(input)
	client_certificate_issued
}

violation contains {
	"msg": sprintf("GKE cluster %s has basic authentication enabled for user %s", [input.cluster.name, username]),
	"path": "masterAuth/username",
	"evidence": username,
} if {
	gcp.is_gke(input)
	username := gcp.get(gcp.cluster(input), ["masterAuth", "username"], "")
	trim_space(username) != ""
}

client_certificate_issued if gcp.get(gcp.cluster(input), ["masterAuth", "clientCertificateConfig", "issueClientCertificate"], false) == true

client_certificate_issued if trim_space(gcp.get(gcp.cluster(input), ["masterAuth", "clientKey"], "")) != ""
