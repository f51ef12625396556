# Loaded by test/standins/moto.ts with startMoto({ eventsForwarding: true }).
#
# When a rule's target is another account's event bus, moto re-puts the event there as if that account
# had sent it: `account` and `region` become the receiving bus's. EventBridge delivers the event itself,
# so the central bus sees the member account and region that produced it (what the ECR push function
# reads to find the registry). This module hands the event unchanged to the target bus's rules.
# moto also leaves `account` out of the event it delivers to a target without an input transformer; the
# event EventBridge delivers has it (the ECR push function refuses an event without it).
import copy

from moto.events import models, utils
from moto.utilities.arns import parse_arn

utils.EventTemplateParser.DEFAULT_EVENT_INPUT_TEMPLATE = utils.EventTemplateParser.DEFAULT_EVENT_INPUT_TEMPLATE.replace(
    '"version": "0",', '"version": "0", "account": "<account>",'
)

_send = models.Rule.send_to_targets


def send_to_targets(self, original_event, transform_input=True):
    if not self.event_pattern.matches_event(original_event):
        return
    others = []
    for target in self.targets:
        arn = parse_arn(target["Arn"])
        if arn.service == "events" and arn.resource_type == "event-bus":
            bus = models.events_backends[arn.account][arn.region].describe_event_bus(arn.resource_id)
            for rule in list(bus.rules.values()):
                rule.send_to_targets(copy.deepcopy(original_event))
        else:
            others.append(target)
    if others:
        saved, self.targets = self.targets, others
        try:
            _send(self, original_event, transform_input)
        finally:
            self.targets = saved


models.Rule.send_to_targets = send_to_targets
