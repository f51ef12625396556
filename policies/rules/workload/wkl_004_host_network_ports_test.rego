package posture.rules.ecs_004_test

import data.posture.rules.ecs_004
import data.posture.rules.ecs_workload_fixtures_test as fx
import rego.v1

bridge(ports) := fx.asset({"networkMode": "bridge", "containers": [object.union(fx.good_container, {"hostPorts": ports})]}, {})

test_awsvpc_passes if {
	count(ecs_004.violation) == 0 with input as fx.good
}

test_host_network_fails if {
	some v in ecs_004.violation with input as fx.asset({"networkMode": "host", "hostNetwork": true}, {})
	v.path == "networkMode"
	v.evidence == "host"
}

test_privileged_host_port_in_bridge_mode_fails if {
	some v in ecs_004.violation with input as bridge([8080, 443, 80])
	v.path == "containers/web/hostPorts"
	v.evidence == [80, 443]
}

test_high_and_dynamic_host_ports_pass if {
	count(ecs_004.violation) == 0 with input as bridge([0, 8080, 1024])
}

test_awsvpc_ports_are_not_host_ports if {
	count(ecs_004.violation) == 0 with input as fx.container({"hostPorts": [443]})
}

test_absent_network_mode_is_bridge if {
	count(ecs_004.violation) == 1 with input as fx.asset({"networkMode": null, "containers": [object.union(fx.good_container, {"hostPorts": [22]})]}, {})
}
