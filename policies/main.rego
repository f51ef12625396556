# The single entrypoint compiled to Wasm: every rule package under data.posture.rules
# contributes `violation` objects (and, where a person has to judge, `manual` objects); this tags
# each with the package that produced it so the engine can join it with the rule's METADATA from
# the catalog. `aliasPath` is the path the same problem had under the rule's earlier id, when it differs.
# A violation may carry its own `severity` when the rule's configuration sets it (IMG-014); otherwise
# the catalog's applies.
package posture.main

import rego.v1

# Each rule package is gathered in one small step ([package, violation] pairs) and the finding objects
# are built once afterwards: the planner repeats a rule body for every package it can reach, so building
# the object inside that loop made the compiled entrypoint one ~180 KB Wasm function, whose first call
# made V8 allocate ~150 MB to compile it.
violations contains [rule, violation] if {
	some rule
	some violation in data.posture.rules[rule].violation
}

manual_entries contains [rule, entry] if {
	some rule
	some entry in data.posture.rules[rule].manual
}

findings contains finding if {
	some [rule, violation] in violations
	finding := {
		"rule": rule,
		"msg": violation.msg,
		"path": violation.path,
		"evidence": object.get(violation, "evidence", null),
		"severity": object.get(violation, "severity", null),
		"outcome": "fail",
		"aliasPath": object.get(violation, "aliasPath", null),
		"severity": object.get(violation, "severity", null),
	}
}

findings contains finding if {
	some [rule, entry] in manual_entries
	finding := {
		"rule": rule,
		"msg": entry.msg,
		"path": entry.path,
		"evidence": object.get(entry, "evidence", null),
		"severity": null,
		"outcome": "manual",
		"aliasPath": null,
		"severity": null,
	}
}
