package posture.rules.wkl_009_test

import data.posture.rules.ecs_workload_fixtures_test as fx
import data.posture.rules.k8s_fixtures_test as k8s
import data.posture.rules.wkl_009
import rego.v1

mounted(host_path) := fx.asset(
	{
		"containers": [object.union(fx.good_container, {"mounts": [{"volume": "host", "path": "/host", "readOnly": true}]})],
		"volumes": [{"name": "host", "hostPath": host_path}],
	},
	{},
)

test_task_volume_passes if {
	count(wkl_009.violation) == 0 with input as fx.good
}

test_harmless_host_paths_pass if {
	every p in ["/var/log/app", "/data", "/etc-backup", "/run/app"] {
		count(wkl_009.violation) == 0 with input as mounted(p)
	}
}

test_docker_socket_fails if {
	some v in wkl_009.violation with input as mounted("/var/run/docker.sock")
	v.path == "containers/web/mounts/host"
	v.evidence.hostPath == "/var/run/docker.sock"
	v.evidence.readOnly == true
}

test_sensitive_trees_and_root_fail if {
	every p in ["/", "//", "/etc/", "/proc/1", "/var/lib/docker/containers", "/sys"] {
		count(wkl_009.violation) == 1 with input as mounted(p)
	}
}

test_unmounted_volume_not_judged if {
	count(wkl_009.violation) == 0 with input as fx.asset({"volumes": [{"name": "host", "hostPath": "/etc"}]}, {})
}

test_kubernetes_docker_socket_fails_and_ordinary_host_path_passes if {
	some v in wkl_009.violation with input as k8s.workloads["docker-socket"]
	v.path == "containers/app/mounts/docker"
	v.msg == "container app in Pod apps/docker-socket mounts host path /var/run/docker.sock at /var/run/docker.sock"
	count(wkl_009.violation) == 0 with input as k8s.workloads["host-path"]
	count(wkl_009.violation) == 0 with input as k8s.workloads.hardened
}
