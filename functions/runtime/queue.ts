// The scan queue as the handlers see it: send jobs (in SQS batches of ten) and park poison messages
// on the dead-letter queue with the reason, so nothing that arrived is lost.
import { SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { dedupeKey, type Job } from '../../core/jobs.ts';

export interface JobQueue {
  send(jobs: readonly Job[]): Promise<void>;
  /** Keeps a message the worker can never process, with why, for an operator to inspect. */
  deadLetter(body: string, reason: string): Promise<void>;
}

/** SQS accepts at most ten entries per SendMessageBatch. */
const batchLimit = 10;
/** Entries that failed with a retryable (sender-fault false) error get this many more attempts. */
const resendAttempts = 2;

export class SqsJobQueue implements JobQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly deadLetterUrl?: string,
  ) {}

  async send(jobs: readonly Job[]): Promise<void> {
    for (let i = 0; i < jobs.length; i += batchLimit) {
      await this.sendBatch(jobs.slice(i, i + batchLimit));
    }
  }

  private async sendBatch(jobs: readonly Job[]): Promise<void> {
    let pending = jobs.map((job, index) => ({ Id: String(index), MessageBody: JSON.stringify(job), key: dedupeKey(job) }));
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      const out = await this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: pending.map(({ Id, MessageBody, key }) => ({
            Id,
            MessageBody,
            MessageAttributes: { dedupeKey: { DataType: 'String', StringValue: key } },
          })),
        }),
      );
      const failed = out.Failed ?? [];
      if (failed.length === 0) return;
      const permanent = failed.filter((f) => f.SenderFault);
      if (permanent.length > 0 || attempt >= resendAttempts) {
        const detail = failed.map((f) => `${pending.find((p) => p.Id === f.Id)?.key ?? f.Id}: ${f.Code ?? 'error'} ${f.Message ?? ''}`.trim());
        throw new Error(`scan queue refused ${failed.length} job(s): ${detail.join('; ')}`);
      }
      const retry = new Set(failed.map((f) => f.Id));
      pending = pending.filter((p) => retry.has(p.Id));
    }
  }

  async deadLetter(body: string, reason: string): Promise<void> {
    if (!this.deadLetterUrl) throw new Error(`no dead-letter queue configured; cannot park a message rejected because: ${reason}`);
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.deadLetterUrl,
        MessageBody: body,
        MessageAttributes: { rejectedBecause: { DataType: 'String', StringValue: reason.slice(0, 1024) } },
      }),
    );
  }
}
