package posture.rules.eks_004_test

import data.posture.rules.eks_004
import data.posture.rules.eks_fixtures_test as fx
import rego.v1

without_audit := fx.asset({"auditLogging": false}, object.union(fx.good_raw, {"cluster": object.union(fx.good_raw_cluster, {"logging": {"clusterLogging": [
	{"types": ["api", "authenticator"], "enabled": true},
	{"types": ["audit", "controllerManager", "scheduler"], "enabled": false},
]}})}))

test_audit_on_passes if {
	count(eks_004.violation) == 0 with input as fx.good
}

test_audit_off_fails_with_enabled_types if {
	some v in eks_004.violation with input as without_audit
	v.path == "logging/audit"
	v.evidence.enabledTypes == ["api", "authenticator"]
}

test_absent_logging_is_off if {
	count(eks_004.violation) == 1 with input as fx.asset({"auditLogging": false}, {"cluster": object.remove(fx.good_raw_cluster, ["logging"])})
}
