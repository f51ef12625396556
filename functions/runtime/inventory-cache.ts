// Analysed images, kept by digest: an image job stores what analysing the layers produced (the package
// inventory and the other contents rules judge, with the analysis errors) so a later event about the same
// image, such as the registry's scanner finishing, re-evaluates it from the manifest and config alone,
// without pulling and analysing every layer again. Vulnerabilities are not kept: they are matched afresh
// against the current database each time. The image config is not kept either (its ENV may hold secrets;
// it is re-read, which is cheap). Objects live under inventory/ in the data bucket, gzipped JSON validated
// on the way back in; the stack's lifecycle rule expires them, so an inventory made by an older analyzer
// ages out, and `inventoryFormat` retires them at once when their meaning changes.
import { gunzipSync, gzipSync } from 'node:zlib';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { ImageAsset, ImageContents } from '../../core/asset.ts';

export const inventoryPrefix = 'inventory/';
/** Bumped when what an inventory holds changes meaning; older objects are then never read. */
export const inventoryFormat = 1;
const maxObjectBytes = 64 * 1024 * 1024;

/** What analysing an image's layers produced: the inventory and any analysis errors. Config comes fresh. */
export const CachedInventory = z
  .object({
    format: z.literal(inventoryFormat),
    digest: z.string(),
    contents: ImageContents,
    scanErrors: ImageAsset.shape.image.shape.scanErrors,
  })
  .strip();
export type CachedInventory = z.infer<typeof CachedInventory>;

export interface InventoryCache {
  get(digest: string): Promise<CachedInventory | null>;
  put(asset: ImageAsset): Promise<void>;
}

/** Content-addressed: the same manifest digest has the same layers wherever it is pushed. */
export function inventoryKey(digest: string): string {
  if (!/^sha256:[0-9a-f]{64}$/.test(digest)) throw new Error(`not an image digest: ${digest.slice(0, 80)}`);
  return `${inventoryPrefix}v${inventoryFormat}/${digest}.json.gz`;
}

export class S3InventoryCache implements InventoryCache {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async get(digest: string): Promise<CachedInventory | null> {
    const key = inventoryKey(digest);
    let res;
    try {
      res = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }), { abortSignal: AbortSignal.timeout(60_000) });
    } catch (err) {
      const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
      if (e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404) return null;
      throw err;
    }
    if ((res.ContentLength ?? 0) > maxObjectBytes) throw new Error(`s3://${this.bucket}/${key} is larger than ${maxObjectBytes} bytes`);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of res.Body as Readable) {
      size += (c as Buffer).length;
      if (size > maxObjectBytes) throw new Error(`s3://${this.bucket}/${key} is larger than ${maxObjectBytes} bytes`);
      chunks.push(c as Buffer);
    }
    let value: unknown;
    try {
      value = JSON.parse(gunzipSync(Buffer.concat(chunks), { maxOutputLength: 8 * maxObjectBytes }).toString('utf8'));
    } catch {
      return null;
    }
    // An inventory that no longer fits the schema (written by another release) is as good as none.
    const parsed = CachedInventory.safeParse(value);
    return parsed.success && parsed.data.digest === digest ? parsed.data : null;
  }

  async put(asset: ImageAsset): Promise<void> {
    if (!asset.image.contents) return;
    const entry: CachedInventory = { format: inventoryFormat, digest: asset.image.digest, contents: asset.image.contents, scanErrors: asset.image.scanErrors };
    const body = gzipSync(JSON.stringify(entry));
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: inventoryKey(asset.image.digest), Body: body, ContentType: 'application/gzip' }));
  }
}
