package posture.rules.wkl_003_test

import data.posture.rules.ecs_workload_fixtures_test as fx
import data.posture.rules.k8s_fixtures_test as k8s
import data.posture.rules.wkl_003
import rego.v1

windows(user) := fx.asset({"osFamily": "WINDOWS_SERVER_2019_FULL", "containers": [object.union(fx.good_container, {"user": user})]}, {})

test_numeric_user_passes if {
	count(wkl_003.violation) == 0 with input as fx.good
}

test_root_names_fail if {
	every user in ["root", "0", "0:0", "root:wheel", " 0 "] {
		count(wkl_003.violation) == 1 with input as fx.container({"user": user})
	}
}

test_uid_starting_with_zero_digit_passes if {
	count(wkl_003.violation) == 0 with input as fx.container({"user": "1000:0"})
}

test_unset_user_fails if {
	some v in wkl_003.violation with input as fx.container({"user": null, "runAsUser": null, "runAsGroup": null})
	v.path == "containers/web/user"
	v.evidence == null
}

test_absent_user_fails if {
	count(wkl_003.violation) == 1 with input as fx.asset({"containers": [object.remove(fx.good_container, ["user", "runAsUser", "runAsGroup"])]}, {})
}

test_windows_admin_fails if {
	count(wkl_003.violation) == 1 with input as windows("ContainerAdministrator")
}

test_windows_container_user_passes if {
	count(wkl_003.violation) == 0 with input as windows("ContainerUser")
}

test_windows_unset_fails if {
	count(wkl_003.violation) == 1 with input as windows(null)
}

test_kubernetes_non_root_passes if {
	count(wkl_003.violation) == 0 with input as k8s.workloads.hardened
	count(wkl_003.violation) == 0 with input as k8s.workloads["non-root-flag-only"]
	count(wkl_003.violation) == 0 with input as k8s.workloads["uid-only"]
	count(wkl_003.violation) == 0 with input as k8s.workloads["host-process"]
}

test_kubernetes_root_uid_fails if {
	some v in wkl_003.violation with input as k8s.workloads["root-user"]
	v.msg == "container app in Pod apps/root-user runs as UID 0"
	count(wkl_003.violation) == 1 with input as k8s.workloads["root-in-user-namespace"]
}

test_kubernetes_image_default_user_fails if {
	some v in wkl_003.violation with input as k8s.workloads["image-user"]
	v.msg == "container app in Pod apps/image-user runs as the image default user (no user set)"
}
