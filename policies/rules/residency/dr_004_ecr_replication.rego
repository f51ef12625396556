# METADATA
# title: ECR replication stays inside allowed locations and accounts
# description: >-
#   Registry replication rules copy every matching repository (no filter, or a PREFIX_MATCH filter
#   that prefixes the repository name; an unknown filter type is treated as matching) to each
#   destination. Each destination region must be allowed for the repository's data class, and each
#   destination account must be the repository's own or listed in `residency.approvedAccounts`.
#   Replica regions the collector already resolved (`registry.replicaLocations`) are judged too.
# custom:
#   id: DR-004
#   severity: high
#   kind: [registry]
#   applies:
#     service: [ecr]
#   requires: [raw.replicationConfiguration]
#   frameworks:
#     gdpr: ["Art. 44", "Art. 46"]
#   remediation: >-
#     Remove the destination from the registry's replication configuration (or narrow the rule's
#     repository filter), approve the destination account, or correct the classification.
package posture.rules.dr_004

import data.posture.lib.residency
import rego.v1

violation contains {
	"msg": sprintf("%s is replicated to %s (%s), which is not allowed for data class \"%s\"", [input.id, region, jurisdiction, class]),
	"path": sprintf("replication/regions/%s", [region]),
	"evidence": {"region": region, "jurisdiction": jurisdiction, "class": class},
} if {
	is_ecr
	some region in replica_regions
	region != residency.normalize(input.region)
	class := residency.effective_class(input)
	not residency.location_allowed(input, "aws", region)
	jurisdiction := residency.jurisdiction("aws", region)
}

violation contains {
	"msg": sprintf("%s is replicated to account %s, which is neither its own nor approved", [input.id, account]),
	"path": sprintf("replication/accounts/%s", [account]),
	"evidence": {"registryId": account, "regions": sort([region | some d in destinations; d.registryId == account; region := residency.normalize(d.region)])},
} if {
	is_ecr
	some account in {d.registryId | some d in destinations}
	not residency.account_approved(input, account)
}

is_ecr if {
	input.kind == "registry"
	input.registry.service == "ecr"
}

repository_name := object.get(input, ["raw", "repository", "repositoryName"], input.registry.name)

replication_rules := rules if {
	rules := input.raw.replicationConfiguration.rules
	is_array(rules)
} else := []

destinations contains destination if {
	some rule in replication_rules
	covers(rule)
	some destination in object.get(rule, "destinations", [])
	is_string(destination.region)
	is_string(destination.registryId)
}

replica_regions contains residency.normalize(d.region) if some d in destinations

replica_regions contains residency.normalize(region) if some region in input.registry.replicaLocations

covers(rule) if count(object.get(rule, "repositoryFilters", [])) == 0

covers(rule) if {
	some filter in rule.repositoryFilters
	upper(object.get(filter, "filterType", "PREFIX_MATCH")) == "PREFIX_MATCH"
	startswith(repository_name, object.get(filter, "filter", ""))
}

# A filter type this rule does not understand could match anything: fail closed.
covers(rule) if {
	some filter in rule.repositoryFilters
	upper(object.get(filter, "filterType", "PREFIX_MATCH")) != "PREFIX_MATCH"
}
