# METADATA
# title: ECS services on Fargate run the latest platform version
# description: >-
#   A Fargate service (launch type FARGATE, or a FARGATE / FARGATE_SPOT capacity provider) must
#   use `platformVersion` LATEST or at least the newest version for its OS family, set in
#   `ecs.fargatePlatformVersions` (Linux 1.4.0, Windows 1.0.0 by default). Older platform
#   versions miss kernel and runtime patches. Absent means LATEST (the API default).
# custom:
#   id: ECS-013
#   severity: medium
#   kind: [service]
#   applies:
#     provider: [aws]
#   requires: [raw.service]
#   frameworks:
#     aws-fsbp: ["ECS.10"]
#     nist-800-53-r5: ["SI-2", "SI-2(2)", "SI-2(4)", "SI-2(5)"]
#     pci-dss-4.0: ["6.3.3"]
#     disa-k8s-stig: ["V-242443"]
#     owasp-docker-top10: ["D02"]
#     nist-800-190: ["4.4.1"]
#   unverified: [disa-k8s-stig, owasp-docker-top10, nist-800-190]
#   remediation: >-
#     Update the service with `--platform-version LATEST` (or the newest version) and force a new
#     deployment.
package posture.rules.ecs_013

import data.posture.lib.aws
import rego.v1

newest := object.get(data.config, ["ecs", "fargatePlatformVersions"], {"linux": "1.4.0", "windows": "1.0.0"})

violation contains {
	"msg": sprintf("ECS service %s runs Fargate platform version %s; the newest for %s is %s", [input.service.name, version, family, minimum]),
	"path": "platformVersion",
	"evidence": {"platformVersion": version, "platformFamily": family, "newest": minimum},
} if {
	aws.is_ecs_service(input)
	aws.on_fargate(input)
	version := object.get(input.service, "platformVersion", null)
	is_string(version)
	upper(trim_space(version)) != "LATEST"
	family := platform_family
	minimum := newest[family]
	not aws.version_at_least(version, minimum)
}

# DescribeServices' platformFamily: "Linux" or WINDOWS_SERVER_*; absent means Linux.
platform_family := "windows" if {
	startswith(upper(object.get(input, ["raw", "service", "platformFamily"], "")), "WINDOWS")
} else := "linux"
