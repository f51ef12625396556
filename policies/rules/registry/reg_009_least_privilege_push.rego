# METADATA
# title: Only the owning account can push, and exports are disabled
# description: >-
#   Fails for an ECR repository policy Allow statement that grants a write action (PutImage,
#   layer upload, image or repository deletion, policy changes; wildcards included) to every
#   principal or to another account — a wildcard principal passes only when conditioned to
#   this account alone; an ACR registry whose export policy is enabled (the API default); an
#   Artifact Registry binding of a writer or admin role to allUsers, allAuthenticatedUsers or a
#   service account of another project.
# custom:
#   id: REG-009
#   severity: medium
#   kind: [registry]
#   applies: {service: [ecr, acr, artifact-registry]}
#   requires:
#     - {input: raw.policyText, service: [ecr]}
#     - {input: registry.acr, service: [acr]}
#     - {input: raw.iamPolicy, service: [artifact-registry]}
#   frameworks:
#     cis-eks-1.8: ["5.1.2"]
#     cis-aks-1.8: ["5.1.2"]
#     cis-gke-1.9: ["5.1.2"]
#     nist-800-53-r5: ["AC-6"]
#     pci-dss-4.0: ["7.2.1"]
#     owasp-docker-top10: ["D08"]
#     nist-800-190: ["4.2.3"]
#   unverified: ["nist-800-53-r5", "pci-dss-4.0", "owasp-docker-top10", "nist-800-190"]
#   remediation: >-
#     Grant push only to the account's own CI roles; give other accounts pull actions only.
#     ACR: disable exports (`az acr config export-policy update --status disabled`, requires
#     public network access disabled). Artifact Registry: bind writer roles to this project's
#     identities only.
package posture.rules.reg_009

import data.posture.lib.registry
import rego.v1

# ---- ECR

external(_, p) if p == "*"

external(_, p) if {
	account := registry.principal_account(p)
	account != input.account
}

outside_writers(s) := sort({p |
	some p in registry.aws_principals(s)
	external(s, p)
	not wildcard_for_own_account(s, p)
})

wildcard_for_own_account(s, "*") if registry.own_account_only(s)

violation contains {
	"msg": sprintf("ECR repository %s policy statement %s lets %s push or delete (%s)", [input.registry.name, entry.id, concat(", ", writers), concat(", ", actions)]),
	"path": sprintf("policyText/Statement/%s", [entry.id]),
	"evidence": {"sid": entry.id, "principals": writers, "actions": actions},
} if {
	registry.ecr_policy_collected
	some entry in registry.ecr_statements
	registry.allows(entry.statement)
	actions := registry.write_actions(entry.statement)
	count(actions) > 0
	writers := outside_writers(entry.statement)
	count(writers) > 0
}

# ---- ACR

violation contains {
	"msg": sprintf("ACR registry %s allows exporting images (export policy %s)", [input.registry.name, status]),
	"path": "policies/exportPolicy/status",
	"evidence": {"exportPolicy": status},
} if {
	status := registry.acr("exportPolicy", "enabled")
	lower(status) == "enabled"
}

# ---- Artifact Registry

writer_roles := {
	"roles/artifactregistry.writer",
	"roles/artifactregistry.repoAdmin",
	"roles/artifactregistry.admin",
	"roles/artifactregistry.createOnPushWriter",
	"roles/artifactregistry.createOnPushRepoAdmin",
	"roles/owner",
	"roles/editor",
}

# A user-managed service account of another project; Google's service agents are left out.
foreign_service_account(member) if {
	[_, project] := regex.find_all_string_submatch_n(`^serviceAccount:[^@]+@([a-z][a-z0-9-]{4,28}[a-z0-9])\.iam\.gserviceaccount\.com$`, member, 1)[0]
	not startswith(project, "gcp-sa-")
	project != input.account
}

outside_member(member) if member in registry.public_members

outside_member(member) if foreign_service_account(member)

violation contains {
	"msg": sprintf("Artifact Registry repository %s grants %s to %s, outside project %s", [input.registry.name, binding.role, member, input.account]),
	"path": sprintf("iamPolicy/bindings/%s/%s", [binding.role, member]),
	"evidence": {"role": binding.role, "member": member},
} if {
	registry.ar_iam_collected
	some binding in registry.ar_bindings
	binding.role in writer_roles
	some member in object.get(binding, "members", [])
	outside_member(member)
}
