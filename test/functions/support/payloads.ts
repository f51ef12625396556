// Event payloads in the shapes of wire-formats.md §1.1–1.3, §3.2–3.3 and §4.3, with overridable parts.
import type { LambdaFunctionURLEvent } from 'aws-lambda';

export const digestA = 'sha256:7f5b2640fe6fb4f46592dfd3410c4a79dac4f89e4782432e0378abcd1234abcd';
export const digestB = 'sha256:213bbc182920ab41e18edc2001e06abcca6735d87782d9cef68abd83941cf0e5';

export function ecrPush(detail: Record<string, unknown> = {}, envelope: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: '0',
    id: '13cde686-328b-6117-af20-0e5566167482',
    'detail-type': 'ECR Image Action',
    source: 'aws.ecr',
    account: '123456789012',
    time: '2019-11-16T01:54:34Z',
    region: 'us-west-2',
    resources: [],
    detail: { result: 'SUCCESS', 'repository-name': 'my-repository-name', 'image-digest': digestA, 'action-type': 'PUSH', 'image-tag': 'latest', ...detail },
    ...envelope,
  };
}

export function ecrBasicScan(): Record<string, unknown> {
  return {
    version: '0',
    id: '85fc3613-e913-7fc4-a80c-a3753e4aa9ae',
    'detail-type': 'ECR Image Scan',
    source: 'aws.ecr',
    account: '123456789012',
    time: '2019-10-29T02:36:48Z',
    region: 'us-east-1',
    resources: ['arn:aws:ecr:us-east-1:123456789012:repository/my-repository-name'],
    detail: { 'scan-status': 'COMPLETE', 'repository-name': 'my-repository-name', 'finding-severity-counts': { CRITICAL: 10, MEDIUM: 9 }, 'image-digest': digestA, 'image-tags': [] },
  };
}

export function inspectorScan(detail: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: '0',
    id: 'a5d3b4e7-2f5c-4e0b-9d2a-1c9b3f0e8d71',
    'detail-type': 'Inspector2 Scan',
    source: 'aws.inspector2',
    account: '111122223333',
    time: '2023-01-20T22:52:01Z',
    region: 'us-east-1',
    resources: ['arn:aws:ecr:us-east-1:111122223333:repository/inspector2'],
    detail: {
      'scan-status': 'INITIAL_SCAN_COMPLETE',
      'repository-name': 'arn:aws:ecr:us-east-1:111122223333:repository/inspector2',
      'finding-severity-counts': { CRITICAL: 0, HIGH: 0, MEDIUM: 0, TOTAL: 0 },
      'image-digest': digestB,
      'image-tags': ['ubuntu22'],
      version: '1.0',
      ...detail,
    },
  };
}

export const subscriptionId = '6a1f0c2e-4b7d-4e59-9c3a-2d8e5f7b1a90';
export const acrTopic = `/subscriptions/${subscriptionId}/resourceGroups/rg-shop/providers/Microsoft.ContainerRegistry/registries/demo`;

export function registryData(target: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: '31c51664-e5bd-416a-a5df-e5206bc47ed0',
    timestamp: '2018-04-25T21:39:47.276585742Z',
    action: 'push',
    target: { mediaType: 'application/vnd.docker.distribution.manifest.v2+json', size: 3023, digest: digestB, length: 3023, repository: 'aci-helloworld', tag: 'v1', ...target },
    request: { id: '7c66f28b-de19-40a4-821c-6f5f6c0003a4', host: 'demo.azurecr.io', method: 'PUT', useragent: 'docker/18.03.0-ce' },
  };
}

export function eventGridPush(data: Record<string, unknown> = registryData()): Record<string, unknown>[] {
  return [
    {
      id: '831e1650-001e-001b-66ab-eeb76e069631',
      topic: acrTopic,
      subject: 'aci-helloworld:v1',
      eventType: 'Microsoft.ContainerRegistry.ImagePushed',
      eventTime: '2018-04-25T21:39:47.6549614Z',
      data,
      dataVersion: '1.0',
      metadataVersion: '1',
    },
  ];
}

export function eventGridValidation(code = '512d38b6-c7b8-40c8-89fe-f46f9e9622b6'): Record<string, unknown>[] {
  return [
    {
      id: '2d1781af-3a4c-4d7c-bd0c-e34b19da4e66',
      topic: `/subscriptions/${subscriptionId}`,
      subject: '',
      data: { validationCode: code, validationUrl: 'https://rp-eastus2.eventgrid.azure.net:553/eventsubscriptions/estest/validate?id=512d38b6&t=2018-04-26T20:30:54.4538837Z&apiVersion=2018-05-01-preview&token=1A1A1A1A' },
      eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent',
      eventTime: '2018-01-25T22:12:19.4556811Z',
      metadataVersion: '1',
      dataVersion: '1',
    },
  ];
}

export function cloudEventPush(): Record<string, unknown> {
  return {
    specversion: '1.0',
    id: '9b7c5f4e-1d2a-4c3b-8e6f-0a1b2c3d4e5f',
    source: acrTopic,
    type: 'Microsoft.ContainerRegistry.ImagePushed',
    subject: 'aci-helloworld:v1',
    time: '2018-04-25T21:39:47.6549614Z',
    data: registryData(),
  };
}

export const arDigestRef = `us-west1-docker.pkg.dev/my-project-123/my-repo/hello-world@${digestA}`;
export const arTagRef = 'us-west1-docker.pkg.dev/my-project-123/my-repo/hello-world:1.1';

export function pubsubPush(notification: unknown = { action: 'INSERT', digest: arDigestRef, tag: arTagRef }, raw?: string): Record<string, unknown> {
  return {
    message: {
      attributes: {},
      data: raw ?? Buffer.from(JSON.stringify(notification)).toString('base64'),
      messageId: '2070443601311540',
      publishTime: '2021-02-26T19:13:55.749Z',
    },
    subscription: 'projects/my-project-123/subscriptions/posture-push',
  };
}

/** A Lambda function URL request (payload format 2.0). */
export function urlEvent(options: { method?: string; path: string; headers?: Record<string, string>; query?: Record<string, string>; body?: unknown; rawBody?: string; base64?: boolean }): LambdaFunctionURLEvent {
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const query = options.query ?? {};
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: options.path,
    rawQueryString: new URLSearchParams(query).toString(),
    headers: { 'content-type': 'application/json', host: 'abc123.lambda-url.us-east-1.on.aws', ...options.headers },
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: 'anonymous',
      apiId: 'abc123',
      domainName: 'abc123.lambda-url.us-east-1.on.aws',
      domainPrefix: 'abc123',
      http: { method: options.method ?? 'POST', path: options.path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'test' },
      requestId: 'req-1',
      routeKey: '$default',
      stage: '$default',
      time: '01/Jan/2026:00:00:00 +0000',
      timeEpoch: 0,
    },
    ...(body === undefined ? {} : { body: options.base64 ? Buffer.from(body).toString('base64') : body }),
    isBase64Encoded: options.base64 ?? false,
  };
}
