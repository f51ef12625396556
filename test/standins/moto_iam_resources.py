# Loaded by test/standins/moto.ts when a test asks for IAM enforcement (startMoto({ iam: true })).
#
# moto checks each request's action against the caller's IAM policies, but for most services it checks
# the action against the resource "*": a statement scoped to one table or one secret would never match,
# and a statement with Resource "*" would always pass. AWS authorizes these calls on the resource the
# request names, so this module tells moto which resource that is for the services our function roles
# scope to resources (the Service Authorization Reference lists them):
#   dynamodb        table/<TableName>, or table/<TableName>/index/<IndexName> for an index query;
#                   every table a batch or transaction names is checked, one by one
#   secretsmanager  the secret's full ARN, whatever form of SecretId the caller sent
#   securityhub     BatchImportFindings: the ProductArn of each finding imported
# SQS and STS AssumeRole already resolve their resource in moto itself.
#
# Some calls are authorized under other actions than their own name, and moto would ask for a permission
# that does not exist in IAM:
#   dynamodb:TransactWriteItems   each item's own action (PutItem, UpdateItem, DeleteItem, ConditionCheckItem)
#   dynamodb:TransactGetItems     GetItem on each table
#   sqs:SendMessageBatch (and the other *Batch calls)   the single-message action
#
# moto answers a refused request in XML whatever the protocol; AWS's JSON services (DynamoDB, Secrets
# Manager, Security Hub, ECR, ECS, EKS, SQS, Organizations) answer JSON with their own error names
# (AccessDeniedException, UnrecognizedClientException), which is what the SDK and our error handling read.
# Without IAM enforcement (the default) these resources are never consulted.
import json

from moto.core.exceptions import JsonRESTError
from moto.core.responses import BaseResponse
from moto.dynamodb.responses import DynamoHandler
from moto.secretsmanager.responses import SecretsManagerResponse
from moto.securityhub.responses import SecurityHubResponse
from moto.sqs.responses import SQSResponse

_authorize_xml = BaseResponse._authenticate_and_authorize_normal_action
_json_services = {"dynamodb", "secretsmanager", "securityhub", "ecr", "ecs", "eks", "organizations", "inspector2", "events"}
_json_error_names = {"AccessDenied": "AccessDeniedException", "InvalidClientTokenId": "UnrecognizedClientException"}


def _authorize_one(self, resource="*"):
    try:
        _authorize_xml(self, resource)
    except Exception as err:
        error_type = getattr(err, "error_type", None)
        is_json = self.service_name in _json_services or "json" in (self.headers.get("Content-Type") or "")
        if not error_type or not is_json:
            raise
        refused = JsonRESTError(_json_error_names.get(error_type, error_type), getattr(err, "message", str(err)))
        refused.code = getattr(err, "code", 403)
        raise refused from err


BaseResponse._authenticate_and_authorize_normal_action = _authorize_one


class Authorize:
    """Several (action, resource) checks for one request; action None keeps the request's own."""

    def __init__(self, checks):
        self.checks = checks


def _authorize_each(self, resource="*"):
    checks = resource.checks if isinstance(resource, Authorize) else [(None, r) for r in (resource if isinstance(resource, list) else [resource])]
    for action, one in checks:
        self._iam_action = action
        try:
            _authorize_one(self, one)
        finally:
            self._iam_action = None


def _with_iam_action(cls):
    own = cls._get_action

    def _get_action(self):
        return getattr(self, "_iam_action", None) or own(self)

    cls._get_action = _get_action


def _table_arn(self, name, index=None):
    arn = f"arn:aws:dynamodb:{self.region}:{self.current_account}:table/{name}"
    return f"{arn}/index/{index}" if index else arn


def _dynamodb_resource(self):
    body = self.body if isinstance(self.body, dict) else {}
    if "TableName" in body:
        return _table_arn(self, body["TableName"], body.get("IndexName"))
    if "TransactItems" in body:
        item_action = {"Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem", "ConditionCheck": "ConditionCheckItem", "Get": "GetItem"}
        checks = []
        for item in body.get("TransactItems") or []:
            for kind, operation in item.items():
                if isinstance(operation, dict) and "TableName" in operation and kind in item_action:
                    checks.append((item_action[kind], _table_arn(self, operation["TableName"])))
        return Authorize(sorted(set(checks)))
    names = sorted((body.get("RequestItems") or {}).keys())  # BatchGetItem, BatchWriteItem
    return [_table_arn(self, n) for n in names] or "*"


def _secret_resource(self):
    secret_id = self._get_param("SecretId")
    if not secret_id:
        return "*"
    try:
        return self.backend.describe_secret(secret_id).arn
    except Exception:  # unknown secret: moto answers ResourceNotFound after the check
        return f"arn:aws:secretsmanager:{self.region}:{self.current_account}:secret:{secret_id}"


def _securityhub_resource(self):
    if self._get_action() != "BatchImportFindings":
        return "*"
    try:
        findings = json.loads(self.body or "{}").get("Findings") or []
    except ValueError:
        return "*"
    products = sorted({f.get("ProductArn") for f in findings if isinstance(f, dict) and f.get("ProductArn")})
    return products or "*"


_sqs_resource = SQSResponse._determine_resource
_sqs_batch = {"SendMessageBatch": "SendMessage", "DeleteMessageBatch": "DeleteMessage", "ChangeMessageVisibilityBatch": "ChangeMessageVisibility"}


def _sqs_checks(self):
    single = _sqs_batch.get(self._get_action())
    return Authorize([(single, _sqs_resource(self))]) if single else _sqs_resource(self)


for handler, resolve in ((DynamoHandler, _dynamodb_resource), (SecretsManagerResponse, _secret_resource), (SecurityHubResponse, _securityhub_resource), (SQSResponse, _sqs_checks)):
    _with_iam_action(handler)
    handler._determine_resource = resolve
    handler._authenticate_and_authorize_normal_action = _authorize_each
