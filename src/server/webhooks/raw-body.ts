import { AppError } from '../errors';

/** Meta and Twilio payloads are a few KB; anything above this is refused before it is buffered. */
export const WEBHOOK_BODY_LIMIT = 256 * 1024;

/** The exact request bytes (signatures are computed over them), refusing bodies over `limit` with 413. */
export async function readLimitedBody(
  body: ReadableStream<Uint8Array> | null,
  contentLength: string | null,
  limit = WEBHOOK_BODY_LIMIT,
): Promise<Buffer> {
  if (contentLength && Number(contentLength) > limit) throw new AppError('PAYLOAD_TOO_LARGE', 'Webhook body too large');
  if (!body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw new AppError('PAYLOAD_TOO_LARGE', 'Webhook body too large');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
