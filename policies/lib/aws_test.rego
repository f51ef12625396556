package posture.lib.aws_test

import data.posture.lib.aws
import rego.v1

test_versions_compare_part_by_part_as_numbers if {
	aws.version_at_least("1.4.0", "1.4.0")
	aws.version_at_least("1.10.0", "1.4.0")
	aws.version_at_least("2.0", "1.4.0")
	not aws.version_at_least("1.3.0", "1.4.0")
	not aws.version_at_least("1.4", "1.4.1")
}

test_non_numeric_version_is_never_at_least if {
	not aws.version_at_least("LATEST", "1.4.0")
	not aws.version_at_least("1.4.0-beta", "1.4.0")
}

test_windows_family_detected if {
	aws.is_windows({"workload": {"osFamily": "WINDOWS_SERVER_2019_CORE"}})
	not aws.is_windows({"workload": {"osFamily": "LINUX"}})
	not aws.is_windows({"workload": {"osFamily": null}})
}

test_collected_list_distinguishes_absent_from_empty if {
	aws.collected_list({"raw": {"addons": []}}, "addons") == []
	not aws.collected_list({"raw": {}}, "addons")
	not aws.collected_list({"raw": {"addons": null}}, "addons")
}
