# METADATA
# title: No setuid/setgid files and no remote administration in the image
# description: >-
#   Setuid and setgid executables let a process gain another user's rights; an SSH daemon or an
#   exposed 22/tcp invites administration inside the container. Fails for every setuid/setgid
#   file outside the configured allow-list, for 22/tcp in ExposedPorts, and for an installed
#   openssh-server package. File and package checks need the analyzed layers.
# custom:
#   id: IMG-006
#   severity: medium
#   kind: [image]
#   requires: [image.contents.setuidFiles, image.contents.packages]
#   frameworks:
#     cis-docker-1.6: ["4.8"]
#     nist-800-53-r5: ["CM-7"]
#     pci-dss-4.0: ["2.2.4"]
#     owasp-docker-top10: ["D04"]
#     nist-800-190: ["4.1.2"]
#   unverified: ["nist-800-53-r5", "pci-dss-4.0", "owasp-docker-top10", "nist-800-190"]
#   remediation: >-
#     Remove the special bits in the Dockerfile (`RUN find / -xdev -perm /6000 -type f -exec
#     chmod a-s {} +`) or add the path to image.setuidAllowList when it is needed; do not install
#     or expose sshd — use `docker exec` / ECS Exec / `kubectl exec` for access.
package posture.rules.img_006

import data.posture.lib.image
import rego.v1

allow_list := object.get(image.config, ["image", "setuidAllowList"], ["/usr/bin/passwd", "/bin/su", "/usr/bin/su"])

ssh_packages := {"openssh-server", "openssh-server-pam", "dropbear"}

# setuid 04000, setgid 02000.
special_bits(mode) := [name |
	some name, bit in {"setuid": 2048, "setgid": 1024}
	bits.and(mode, bit) != 0
]

violation contains {
	"msg": sprintf("image %s has %s file %s outside the allow-list", [input.id, concat("+", kinds), file.path]),
	"path": sprintf("contents/setuidFiles/%s", [trim_prefix(file.path, "/")]),
	"evidence": {"file": file.path, "mode": format_int(file.mode, 8), "bits": kinds},
} if {
	image.is_image
	some file in object.get(input.image, ["contents", "setuidFiles"], [])
	not file.path in allow_list
	kinds := special_bits(file.mode)
	count(kinds) > 0
}

violation contains {
	"msg": sprintf("image %s exposes the SSH port %s", [input.id, port]),
	"path": sprintf("config/exposedPorts/%s", [port]),
	"evidence": {"port": port},
} if {
	image.is_image
	some port in input.image.config.exposedPorts
	lower(port) in {"22", "22/tcp"}
}

violation contains {
	"msg": sprintf("image %s installs the SSH server package %s", [input.id, pkg.name]),
	"path": sprintf("contents/packages/%s", [pkg.name]),
	"evidence": {"package": pkg.name, "version": pkg.version, "manager": pkg.manager},
} if {
	image.is_image
	some pkg in object.get(input.image, ["contents", "packages"], [])
	pkg.name in ssh_packages
}
