# Kubernetes version comparison for the cluster version rules. There is no semver builtin
# under Wasm, so major and minor are parsed and compared as numbers ("1.9" < "1.31").
package posture.lib.k8s_version

import rego.v1

min_version := object.get(data.config, ["kubernetes", "minVersion"], "1.31")

# [major, minor] of "1.30", "v1.30.5", "1.30.5-gke.1014001"; undefined when unparseable. What the pattern
# ^v?(\d{1,4})\.(\d{1,4}) reads, taken apart with string builtins: OPA's Wasm runtime compiles a regex anew in
# every evaluation, and every cluster's versions pass through here.
major_minor(version) := [to_number(major), to_number(minor)] if {
	is_string(version)
	parts := split(trim_prefix(trim_space(version), "v"), ".")
	count(parts) > 1
	major := parts[0]
	digits_only(major)
	count(major) <= 4
	minor := substring(leading_digits(parts[1]), 0, 4)
	minor != ""
}

digits_only(text) if {
	text != ""
	trim(text, "0123456789") == ""
}

leading_digits(text) := substring(text, 0, count(text) - count(trim_left(text, "0123456789")))

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
