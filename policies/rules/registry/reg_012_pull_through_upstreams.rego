# METADATA
# title: ECR pull-through cache rules pull only from approved upstreams
# description: >-
#   A pull-through cache rule (DescribePullThroughCacheRules) makes every image of its upstream
#   registry pullable from this account's registry under the rule's prefix, as if it had been
#   pushed here. Judged only when image.trustedRegistries is configured: each rule's upstream host
#   (with its upstream repository prefix, if the rule has one) must be trusted. Rules that could
#   not be listed are not judged.
# custom:
#   id: REG-012
#   severity: medium
#   kind: [registry]
#   applies:
#     provider: [aws]
#     service: [ecr-registry]
#   requires: [registry.pullThroughCache]
#   frameworks:
#     cis-eks-1.8: ["5.1.4"]
#     nist-800-53-r5: ["CM-7(5)", "SR-3"]
#     owasp-docker-top10: ["D08"]
#     nist-800-190: ["4.1.5"]
#   unverified: [nist-800-53-r5, owasp-docker-top10, nist-800-190]
#   remediation: >-
#     Delete the rule (`aws ecr delete-pull-through-cache-rule --ecr-repository-prefix <prefix>`), narrow it
#     to an approved upstream repository prefix, or add the upstream to image.trustedRegistries after
#     review.
package posture.rules.reg_012

import data.posture.lib.image
import data.posture.lib.registry
import rego.v1

violation contains {
	"msg": sprintf("ECR pull-through cache rule %s proxies %s, which is not a trusted registry", [rule.prefix, rule.upstream]),
	"path": sprintf("pullThroughCache/%s", [rule.prefix]),
	"evidence": {"upstream": rule.upstream, "upstreamPrefix": rule.upstreamPrefix, "trusted": image.trusted_registries},
} if {
	registry.is_ecr_registry
	image.allow_list_configured
	some rule in input.registry.pullThroughCache
	not trusted_upstream(rule)
}

upstream_prefix(rule) := rule.upstreamPrefix if is_string(rule.upstreamPrefix)

else := ""

trusted_upstream(rule) if image.trusted(rule.upstream, upstream_prefix(rule))

# An entry naming exactly the upstream repository prefix trusts everything under it.
trusted_upstream(rule) if {
	upstream_prefix(rule) != ""
	some entry in image.trusted_registries
	lower(trim_right(trim_space(entry), "/")) == concat("/", [rule.upstream, lower(upstream_prefix(rule))])
}
