package posture.rules.gke_009_test

import data.posture.rules.gke_009
import data.posture.rules.gke_fixtures_test as fx
import rego.v1

paths(asset) := {v.path | some v in gke_009.violation with input as asset}

test_logging_and_monitoring_on_passes if {
	paths(fx.gke({})) == set()
}

test_logging_none_fails_once if {
	paths(fx.gke({"loggingService": "none", "loggingConfig": {"componentConfig": {"enableComponents": []}}})) == {"loggingService"}
}

test_monitoring_none_fails if {
	paths(fx.gke({"monitoringService": "none"})) == {"monitoringService"}
}

test_workloads_only_fails if {
	paths(fx.gke({"loggingConfig": {"componentConfig": {"enableComponents": ["WORKLOADS"]}}})) == {"loggingConfig/componentConfig/enableComponents"}
}

test_absent_services_are_api_default_on if {
	paths(fx.without(["loggingService", "monitoringService", "loggingConfig"])) == set()
}
