// Scan queue + dead-letter queue in moto, and helpers to read what the handlers sent, through the real SQS client.
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  GetQueueAttributesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import type { MotoServer } from '../../standins/moto.ts';

export interface Queues {
  sqs: SQSClient;
  queueUrl: string;
  dlqUrl: string;
  queueArn: string;
}

export async function createQueues(moto: MotoServer, name: string): Promise<Queues> {
  const sqs = new SQSClient(moto.clientConfig);
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }));
  const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn;
  const queue = await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 5 }), VisibilityTimeout: '30' },
    }),
  );
  const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn;
  return { sqs, queueUrl: queue.QueueUrl as string, dlqUrl: dlq.QueueUrl as string, queueArn: queueArn as string };
}

/** Receives every message currently on the queue (and hides them for the visibility timeout). */
export async function drain(sqs: SQSClient, queueUrl: string): Promise<Message[]> {
  const all: Message[] = [];
  for (;;) {
    const out = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'], WaitTimeSeconds: 0 }),
    );
    if (!out.Messages?.length) return all;
    all.push(...out.Messages);
  }
}

export async function makeVisibleAgain(sqs: SQSClient, queueUrl: string, messages: readonly Message[]): Promise<void> {
  for (const m of messages) await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 }));
}

export async function purge(sqs: SQSClient, ...urls: string[]): Promise<void> {
  for (const url of urls) await sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
}

/** The event Lambda's SQS poller would hand the worker for these received messages. */
export function toSqsEvent(messages: readonly Message[], queueArn: string): SQSEvent {
  return {
    Records: messages.map(
      (m): SQSRecord => ({
        messageId: m.MessageId as string,
        receiptHandle: m.ReceiptHandle as string,
        body: m.Body as string,
        attributes: {
          ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? '1',
          SentTimestamp: m.Attributes?.SentTimestamp ?? '0',
          SenderId: m.Attributes?.SenderId ?? '',
          ApproximateFirstReceiveTimestamp: m.Attributes?.ApproximateFirstReceiveTimestamp ?? '0',
        },
        messageAttributes: {},
        md5OfBody: m.MD5OfBody as string,
        eventSource: 'aws:sqs',
        eventSourceARN: queueArn,
        awsRegion: 'us-east-1',
      }),
    ),
  };
}
