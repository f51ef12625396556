package posture.lib.k8s_version_test

import data.posture.lib.k8s_version
import rego.v1

config := {"kubernetes": {"minVersion": "1.31"}}

test_versions_are_compared_by_number if {
	k8s_version.below_min("1.30.5-gke.1014001") with data.config as config
	k8s_version.below_min("1.9") with data.config as config
	not k8s_version.below_min("1.31") with data.config as config
	not k8s_version.below_min("v1.32.1") with data.config as config
	not k8s_version.below_min("2.0") with data.config as config
}

test_unreadable_versions_fail_closed if {
	k8s_version.below_min(null) with data.config as config
	k8s_version.below_min("latest") with data.config as config
}
