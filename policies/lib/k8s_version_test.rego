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

# What ^v?(\d{1,4})\.(\d{1,4}) captures (the pattern major_minor reads without a regex), case by case.
test_major_minor_reads_what_the_pattern_captures if {
	k8s_version.major_minor("1.30") == [1, 30]
	k8s_version.major_minor(" v1.30.5 ") == [1, 30]
	k8s_version.major_minor("1.30.5-gke.1014001") == [1, 30]
	k8s_version.major_minor("1.30-eks") == [1, 30]
	k8s_version.major_minor("1.123456") == [1, 1234]
	k8s_version.major_minor("1234.5") == [1234, 5]
	not k8s_version.major_minor("12345.5")
	not k8s_version.major_minor("vv1.30")
	not k8s_version.major_minor("1.")
	not k8s_version.major_minor("1.x")
	not k8s_version.major_minor(".30")
	not k8s_version.major_minor("x1.30")
	not k8s_version.major_minor("130")
}
