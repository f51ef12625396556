# The single entrypoint compiled to Wasm: every rule package under data.posture.rules
# contributes `violation` objects; this tags each with the package that produced it so the
# engine can join it with the rule's METADATA from the catalog.
package posture.main

import rego.v1

findings contains finding if {
	some rule
	some violation in data.posture.rules[rule].violation
	finding := {
		"rule": rule,
		"msg": violation.msg,
		"path": violation.path,
		"evidence": object.get(violation, "evidence", null),
	}
}
