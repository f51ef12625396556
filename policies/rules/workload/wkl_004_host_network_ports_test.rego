package posture.rules.wkl_004_test

import data.posture.rules.ecs_workload_fixtures_test as fx
import data.posture.rules.k8s_fixtures_test as k8s
import data.posture.rules.wkl_004
import rego.v1

bridge(ports) := fx.asset({"networkMode": "bridge", "containers": [object.union(fx.good_container, {"hostPorts": ports})]}, {})

test_awsvpc_passes if {
	count(wkl_004.violation) == 0 with input as fx.good
	count(wkl_004.violation) == 0 with input as k8s.workloads.hardened
}

test_host_network_fails if {
	some v in wkl_004.violation with input as fx.asset({"networkMode": "host", "hostNetwork": true}, {})
	v.path == "networkMode"
	v.evidence == "host"
}

test_host_ports_in_bridge_mode_fail if {
	some v in wkl_004.violation with input as bridge([8080, 443, 80])
	v.path == "containers/web/hostPorts"
	v.evidence == {"ports": [80, 443, 8080], "privileged": [80, 443]}
}

test_dynamic_host_port_passes if {
	count(wkl_004.violation) == 0 with input as bridge([0])
}

test_kubernetes_host_port_fails if {
	some v in wkl_004.violation with input as k8s.workloads["host-port"]
	v.msg == "container app in Pod apps/host-port binds host ports 8443"
	v.evidence.privileged == []
}

test_kubernetes_host_network_fails_with_its_ports if {
	paths := {v.path | some v in wkl_004.violation} with input as k8s.workloads["host-network"]
	paths == {"hostNetwork", "containers/app/hostPorts"}
}
