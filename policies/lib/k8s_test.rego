package posture.lib.k8s_test

import data.posture.lib.k8s
import rego.v1

test_open_to_world if {
	not k8s.open_to_world([])
	k8s.open_to_world(["10.0.0.0/8", "0.0.0.0/0"])
	k8s.open_to_world([" ::/0 "])
	not k8s.open_to_world(["203.0.113.0/24"])
}
