package posture.rules.wkl_030_test

import data.posture.rules.k8s_fixtures_test as k8s
import data.posture.rules.wkl_030
import rego.v1

test_core_volume_types_pass if {
	count(wkl_030.violation) == 0 with input as k8s.workloads.hardened
	count(wkl_030.violation) == 0 with input as k8s.workloads["secret-files"]
}

test_host_path_is_left_to_wkl_021 if {
	count(wkl_030.violation) == 0 with input as k8s.workloads["host-path"]
}

test_inline_nfs_fails if {
	some v in wkl_030.violation with input as k8s.workloads["nfs-volume"]
	v.path == "volumes/share"
	v.evidence == "nfs"
}
