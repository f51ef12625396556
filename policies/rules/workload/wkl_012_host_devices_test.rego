package posture.rules.wkl_012_test

import data.posture.rules.ecs_workload_fixtures_test as fx
import data.posture.rules.k8s_fixtures_test as k8s
import data.posture.rules.wkl_012
import rego.v1

test_no_devices_pass if {
	count(wkl_012.violation) == 0 with input as fx.good
	count(wkl_012.violation) == 0 with input as k8s.workloads.privileged
}

test_host_device_fails if {
	some v in wkl_012.violation with input as fx.container({"devices": ["/dev/fuse"]})
	v.path == "containers/web/devices"
	v.evidence == ["/dev/fuse"]
}
