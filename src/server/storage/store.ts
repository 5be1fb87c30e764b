import type { Readable } from 'node:stream';

/**
 * What the storage service needs of a backend: S3 (the platform default or an organisation's own
 * bucket) or, in development without S3 credentials, a local directory. Keys arrive already checked
 * against the organisation's namespace (keys.ts).
 */
export interface PutInput {
  key: string;
  body: Buffer;
  contentType: string;
  sha256: string;
}

/** A byte range as the HTTP Range header asks for it (inclusive end, as in `bytes=0-99`). */
export interface ByteRange {
  start: number;
  end?: number;
}

export interface ObjectRead {
  body: Readable;
  contentType: string;
  /** Bytes in this answer (the range's length for a partial read). */
  contentLength: number;
  /** Set for a partial read: `bytes start-end/total`. */
  contentRange?: string;
}

export interface ObjectStore {
  /** Where objects go, for logs and tests: `s3://bucket` or `dir:/path`. */
  readonly location: string;
  put(input: PutInput): Promise<void>;
  /** null when there is no such object. */
  get(key: string, range?: ByteRange): Promise<ObjectRead | null>;
  delete(key: string): Promise<void>;
}
