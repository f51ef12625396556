package posture.rules.ecs_008_test

import data.posture.rules.ecs_008
import data.posture.rules.ecs_workload_fixtures_test as fx
import rego.v1

test_dropped_capabilities_pass if {
	count(ecs_008.violation) == 0 with input as fx.good
}

test_narrow_capability_passes if {
	count(ecs_008.violation) == 0 with input as fx.container({"capabilities": {"add": ["NET_BIND_SERVICE"], "drop": ["ALL"]}})
}

test_dangerous_capabilities_fail if {
	some v in ecs_008.violation with input as fx.container({"capabilities": {"add": ["NET_BIND_SERVICE", "CAP_SYS_ADMIN", "sys_ptrace"], "drop": []}})
	v.path == "containers/web/capabilities/add"
	v.evidence == ["SYS_ADMIN", "SYS_PTRACE"]
}

test_host_device_fails if {
	some v in ecs_008.violation with input as fx.definition({"linuxParameters": {"devices": [{"hostPath": "/dev/fuse", "permissions": ["read", "write"]}]}})
	v.path == "containers/web/devices"
	v.evidence == ["/dev/fuse"]
}

test_unconfined_security_options_fail if {
	some v in ecs_008.violation with input as fx.definition({"dockerSecurityOptions": ["no-new-privileges", "seccomp:unconfined", "label:disable"]})
	v.path == "containers/web/dockerSecurityOptions"
	v.evidence == ["label:disable", "seccomp:unconfined"]
}

test_absent_linux_parameters_pass if {
	count(ecs_008.violation) == 0 with input as fx.asset({}, {"containerDefinitions": [object.remove(fx.good_definition, ["linuxParameters", "dockerSecurityOptions"])]})
}
