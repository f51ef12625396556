package posture.rules.wkl_040_test

import data.posture.rules.k8s_fixtures_test as k8s
import data.posture.rules.wkl_040
import rego.v1

test_automount_off_passes if {
	count(wkl_040.violation) == 0 with input as k8s.workloads.hardened
}

test_token_mounted_by_default_fails if {
	some v in wkl_040.violation with input as k8s.workloads["token-mounted"]
	v.msg == "Pod apps/token-mounted mounts a token of service account app (nothing turns it off)"
}

test_service_account_setting_applies_when_the_pod_is_silent if {
	# default-service-account: the pod says nothing, ServiceAccount apps/default has automount false.
	count(wkl_040.violation) == 0 with input as k8s.workloads["default-service-account"]
}

test_unknown_automount_is_silent if {
	count(wkl_040.violation) == 0 with input as json.remove(k8s.workloads["token-mounted"], ["workload/kubernetes/serviceAccount/automountToken", "workload/kubernetes/serviceAccount/automountSource"])
}
