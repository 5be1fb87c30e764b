import type { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import type { ByteRange, ObjectRead, ObjectStore, PutInput } from './store';

/**
 * An S3 bucket through the official SDK: AWS S3, DigitalOcean Spaces, MinIO or any server that
 * speaks the S3 REST API, at a configurable endpoint with path-style addressing.
 */
export interface S3Settings {
  bucket: string;
  region: string;
  endpoint?: string;
  accessKeyId: string;
  secretAccessKey: string;
  pathStyle: boolean;
}

export function createS3Store(s: S3Settings): ObjectStore {
  const client = new S3Client({
    region: s.region,
    endpoint: s.endpoint,
    forcePathStyle: s.pathStyle,
    credentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey },
    // The SDK's default CRC32 trailers are not understood by every S3-compatible service (older
    // Spaces and MinIO releases refuse them); we send our own sha256 as the signed payload hash.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 3,
  });
  async function get(key: string, range?: ByteRange): Promise<ObjectRead | null> {
    try {
      const res = await client.send(
        new GetObjectCommand({
          Bucket: s.bucket,
          Key: key,
          Range: range ? `bytes=${range.start}-${range.end ?? ''}` : undefined,
        }),
      );
      return {
        body: res.Body as Readable,
        contentType: res.ContentType ?? 'application/octet-stream',
        contentLength: res.ContentLength ?? 0,
        contentRange: res.ContentRange,
      };
    } catch (err) {
      if (err instanceof S3ServiceException && (err.name === 'NoSuchKey' || err.$metadata.httpStatusCode === 404)) return null;
      // A range past the end: answer with the whole object, as HTTP allows.
      if (range && err instanceof S3ServiceException && err.$metadata.httpStatusCode === 416) return get(key);
      throw err;
    }
  }

  return {
    location: `s3://${s.bucket}${s.endpoint ? ` at ${s.endpoint}` : ''}`,
    async put(input: PutInput) {
      await client.send(
        new PutObjectCommand({
          Bucket: s.bucket,
          Key: input.key,
          Body: input.body,
          ContentType: input.contentType,
          ContentLength: input.body.length,
          Metadata: { sha256: input.sha256 },
        }),
      );
    },
    get,
    async delete(key: string) {
      await client.send(new DeleteObjectCommand({ Bucket: s.bucket, Key: key }));
    },
  };
}
