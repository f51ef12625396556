# The single entrypoint compiled to Wasm: every rule package under data.posture.rules
# contributes `violation` objects (and, where a person has to judge, `manual` objects, and where the
# asset is outside what the rule judges, `not_applicable` objects); this tags
# each with the package that produced it so the engine can join it with the rule's METADATA from
# the catalog. `aliasPath` is the path the same problem had under the rule's earlier id, when it differs.
# A violation may carry its own `severity` when the rule's configuration sets it (IMG-014); otherwise
# the catalog's applies.
package posture.main

import rego.v1

# Each rule package is gathered in one small step ([package, violation] pairs, in arrays: a set would hash
# every pair, violation and evidence included; the findings are an array too, for the same reason: each
# rule's violations are already a set, so no two pairs are equal) and the finding objects are built once afterwards: the planner repeats a rule body for every package it can reach, so building
# the object inside that loop made the compiled entrypoint one ~180 KB Wasm function, whose first call
# made V8 allocate ~150 MB to compile it.
violations := [[rule, violation] |
	some rule
	some violation in data.posture.rules[rule].violation
]

manual_entries := [[rule, entry] |
	some rule in manual_rules
	some entry in data.posture.rules[rule].manual
]

# A rule that applies to the asset's kind may still declare that this asset is outside what it judges
# (NS-001 on the platform's own namespaces): the pair ends "not applicable", with the rule's reason.
excluded_entries := [[rule, entry] |
	some rule in excluding_rules
	some entry in data.posture.rules[rule].not_applicable
]

# The packages that declare `manual` and `not_applicable`, by name: these two are rare, and looking for them in
# every rule package cost about a tenth of each evaluation. The policy build fails when a package declares one
# and is not named here, or is named and declares none (scripts/build-policies.ts).
manual_rules := set()

excluding_rules := {"ns_001", "ns_002"}

failed := [finding |
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
]

manual := [finding |
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
]

excluded := [finding |
	some [rule, entry] in excluded_entries
	finding := {
		"rule": rule,
		"msg": entry.msg,
		"path": "",
		"evidence": null,
		"outcome": "not-applicable",
		"aliasPath": null,
		"severity": null,
	}
]

findings := array.concat(array.concat(failed, manual), excluded)
