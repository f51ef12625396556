package posture.rules.rbac_001_test

import data.posture.rules.k8s_fixtures_test as k8s
import data.posture.rules.rbac_001
import rego.v1

test_least_privilege_passes if {
	count(rbac_001.violation) == 0 with input as k8s.bindings["least-privilege"]
}

test_cluster_admin_for_a_service_account_fails if {
	some v in rbac_001.violation with input as k8s.bindings["ci-cluster-admin"]
	v.msg == "ClusterRoleBinding ci-cluster-admin grants ClusterRole cluster-admin (cluster-admin) to ServiceAccount apps/ci"
}

test_role_with_every_permission_fails if {
	some v in rbac_001.violation with input as k8s.bindings["all-powerful"]
	v.msg == "ClusterRoleBinding all-powerful grants ClusterRole all-powerful (every verb on every resource) to ServiceAccount apps/all-powerful"
}

test_the_api_servers_own_binding_is_not_judged if {
	count(rbac_001.violation) == 0 with input as k8s.bindings["cluster-admin"]
}

test_the_same_name_without_the_bootstrap_label_is_judged if {
	count(rbac_001.violation) == 1 with input as json.remove(k8s.bindings["cluster-admin"], ["tags/kubernetes.io~1bootstrapping"])
}
