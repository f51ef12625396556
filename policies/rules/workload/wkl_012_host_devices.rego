# METADATA
# title: Containers map no host devices
# description: >-
#   A host device mapped into the container (ECS `linuxParameters.devices`) gives it direct access to the
#   node's hardware or kernel interfaces (/dev/kmsg, /dev/mem, a disk). A Kubernetes pod spec cannot map a
#   device on its own (only privileged mode or a hostPath under /dev can, which WKL-001, WKL-009 and
#   WKL-021 judge), so Kubernetes workloads always pass.
# custom:
#   id: WKL-012
#   aliases: [ECS-008]
#   severity: high
#   kind: [workload]
#   requires: [workload.containers.devices]
#   frameworks:
#     cis-docker-1.6: ["5.18"]
#     nist-800-53-r5: ["AC-6"]
#     owasp-docker-top10: ["D04"]
#     nist-800-190: ["4.4.3"]
#   unverified: [cis-docker-1.6, nist-800-53-r5, owasp-docker-top10, nist-800-190]
#   remediation: >-
#     Remove the device mapping from `linuxParameters.devices`; use a volume or an AWS service API for
#     what the process needs instead.
package posture.rules.wkl_012

import data.posture.lib.workload
import rego.v1

violation contains {
	"msg": sprintf("container %s in %s maps host devices %s", [c.name, workload.label, concat(", ", devices)]),
	"path": workload.container_path(c, "devices"),
	"evidence": devices,
} if {
	workload.is_workload
	some c in workload.containers
	devices := sort(object.get(c, "devices", []))
	count(devices) > 0
}
