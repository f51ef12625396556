# Kubernetes version comparison for the cluster version rules. There is no semver builtin
# under Wasm, so major and minor are parsed and compared as numbers ("1.9" < "1.31").
package posture.lib.k8s_version

import rego.v1

min_version := object.get(data.config, ["kubernetes", "minVersion"], "1.31")

# [major, minor] of "1.30", "v1.30.5", "1.30.5-gke.1014001"; undefined when unparseable.
major_minor(version) := [to_number(match[1]), to_number(match[2])] if {
	is_string(version)
	some match in regex.find_all_string_submatch_n(`^v?(\d{1,4})\.(\d{1,4})`, trim_space(version), 1)
}

# True when version is older than the configured minimum, or cannot be read (fails closed).
below_min(version) if not major_minor(version)

below_min(version) if {
	v := major_minor(version)
	m := major_minor(min_version)
	v[0] < m[0]
}

below_min(version) if {
	v := major_minor(version)
	m := major_minor(min_version)
	v[0] == m[0]
	v[1] < m[1]
}
