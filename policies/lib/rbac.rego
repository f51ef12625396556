# RBAC helpers shared by the RBAC-* rules, which judge one RoleBinding or ClusterRoleBinding with the
# rules of the role it binds (normalized in core/asset.ts; `role.rules` is absent when the role was not
# in the input, and then the rules that need it are not evaluated).
package posture.lib.rbac

import rego.v1

is_binding if input.kind == "rbac-binding"

binding := input.rbacBinding

# "ClusterRoleBinding ci-admin" or "RoleBinding apps/readers".
label := sprintf("ClusterRoleBinding %s", [binding.name]) if binding.scope == "cluster"

else := sprintf("RoleBinding %s/%s", [binding.namespace, binding.name])

role_label := sprintf("%s %s", [binding.role.kind, binding.role.name])

rules := binding.role.rules

# Who the binding grants to, as "ServiceAccount legacy/ci, Group devs".
subjects_text := concat(", ", [subject_text(s) | some s in binding.subjects])

subject_text(s) := sprintf("%s %s/%s", [s.kind, s.namespace, s.name]) if is_string(s.namespace)

else := sprintf("%s %s", [s.kind, s.name])

# Kubernetes' own bindings, which the API server creates and reconciles at start-up: labelled
# kubernetes.io/bootstrapping=rbac-defaults, named system:* (or cluster-admin), and granting only to
# system:* users and groups or kube-system service accounts. Judging them would only report the platform.
platform_binding if {
	input.tags["kubernetes.io/bootstrapping"] == "rbac-defaults"
	platform_name(binding.name)
	every s in binding.subjects {
		platform_subject(s)
	}
}

platform_name(name) if startswith(name, "system:")

platform_name("cluster-admin")

platform_subject(s) if {
	s.kind in {"User", "Group"}
	startswith(s.name, "system:")
}

platform_subject(s) if {
	s.kind == "ServiceAccount"
	s.namespace == "kube-system"
}

# A rule grants one of `verbs` on one of `resources` in one of `groups` ("*" in the rule matches all,
# including subresources, as the RBAC authorizer does).
grants(rule, verbs, groups, resources) if {
	matches(rule.verbs, verbs)
	matches(rule.apiGroups, groups)
	matches(rule.resources, resources)
}

matches(have, _) if "*" in have

matches(have, want) if {
	some w in want
	w in have
}

# The rules that grant it, as evidence.
granting(verbs, groups, resources) := [r | some r in rules; grants(r, verbs, groups, resources)]

# A rule as one line: "get,list secrets" / "* */*".
rule_text(r) := sprintf("%s %s", [concat(",", r.verbs), concat(",", [resource_text(g, res) | some g in groups_or_core(r); some res in r.resources])])

groups_or_core(r) := r.apiGroups if count(r.apiGroups) > 0

else := [""]

resource_text("", res) := res

resource_text(g, res) := sprintf("%s/%s", [g, res]) if g != ""
