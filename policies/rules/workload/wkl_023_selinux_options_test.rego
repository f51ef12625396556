package posture.rules.wkl_023_test

import data.posture.rules.ecs_workload_fixtures_test as fx
import data.posture.rules.k8s_fixtures_test as k8s
import data.posture.rules.wkl_023
import rego.v1

test_unset_and_container_type_with_level_pass if {
	count(wkl_023.violation) == 0 with input as fx.good
	count(wkl_023.violation) == 0 with input as k8s.workloads.hardened
	count(wkl_023.violation) == 0 with input as k8s.workloads["selinux-level"]
}

test_unconfined_type_fails if {
	some v in wkl_023.violation with input as k8s.workloads["selinux-spc"]
	v.msg == "container app in Pod apps/selinux-spc sets custom SELinux options (type spc_t)"
}

test_custom_user_and_role_fail if {
	some v in wkl_023.violation with input as k8s.workloads["selinux-user"]
	v.msg == "container app in Pod apps/selinux-user sets custom SELinux options (role system_r, user system_u)"
}

test_ecs_label_disable_fails if {
	count(wkl_023.violation) == 1 with input as fx.container({"seLinuxOptions": {"user": null, "role": null, "type": "spc_t", "level": null}})
}
