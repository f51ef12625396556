package posture.rules.clu_004_test

import data.posture.rules.clu_004
import data.posture.rules.clu_fixtures_test as fx
import rego.v1

test_no_audit_log_fails_with_the_earlier_path if {
	earlier := {"eks": "logging/audit", "aks": "diagnosticSettings/logs"}
	every d in ["eks", "aks"] {
		some v in clu_004.violation with input as fx.cluster(d, {"auditLogging": false})
		v.path == "auditLogging"
		v.aliasPath == earlier[d]
	}
}

test_unknown_audit_log_is_not_judged if {
	count(clu_004.violation) == 0 with input as fx.cluster("aks", {"auditLogging": null})
}

test_audit_log_passes if {
	count(clu_004.violation) == 0 with input as fx.cluster("eks", {})
}
