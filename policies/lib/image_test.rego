package posture.lib.image_test

import data.posture.lib.image
import rego.v1

digest := "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

# What the former regex `@sha256:[a-f0-9]{64}$` accepted, and only that.
test_pinned_by_digest if {
	image.pinned_by_digest(concat("", ["registry.example/app@sha256:", digest]))
	image.pinned_by_digest(concat("", ["app:1.2@sha256:", digest]))
	not image.pinned_by_digest("registry.example/app:1.2")
	not image.pinned_by_digest(concat("", ["app@sha256:", upper(digest)]))
	not image.pinned_by_digest(concat("", ["app@sha256:0", digest]))
	not image.pinned_by_digest(concat("", ["app@sha256:", substring(digest, 1, 63)]))
	not image.pinned_by_digest(concat("", ["app@sha256:", digest, " "]))
	not image.pinned_by_digest(concat("", ["app@sha512:", digest]))
	not image.pinned_by_digest(concat("", ["app@sha256:", substring(digest, 0, 63), "g"]))
}
