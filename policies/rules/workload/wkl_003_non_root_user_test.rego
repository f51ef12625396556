package posture.rules.ecs_003_test

import data.posture.rules.ecs_003
import data.posture.rules.ecs_workload_fixtures_test as fx
import rego.v1

windows(user) := fx.asset({"osFamily": "WINDOWS_SERVER_2019_FULL", "containers": [object.union(fx.good_container, {"user": user})]}, {})

test_numeric_user_passes if {
	count(ecs_003.violation) == 0 with input as fx.good
}

test_root_names_fail if {
	every user in ["root", "0", "0:0", "root:wheel", " 0 "] {
		count(ecs_003.violation) == 1 with input as fx.container({"user": user})
	}
}

test_uid_starting_with_zero_digit_passes if {
	count(ecs_003.violation) == 0 with input as fx.container({"user": "1000:0"})
}

test_unset_user_fails if {
	some v in ecs_003.violation with input as fx.container({"user": null})
	v.path == "containers/web/user"
	v.evidence == null
}

test_absent_user_fails if {
	count(ecs_003.violation) == 1 with input as fx.asset({"containers": [object.remove(fx.good_container, ["user"])]}, {})
}

test_windows_admin_fails if {
	count(ecs_003.violation) == 1 with input as windows("ContainerAdministrator")
}

test_windows_container_user_passes if {
	count(ecs_003.violation) == 0 with input as windows("ContainerUser")
}

test_windows_unset_fails if {
	count(ecs_003.violation) == 1 with input as windows(null)
}
