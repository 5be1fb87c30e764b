import { Readable } from 'node:stream';
import { type AppAbility } from '../../authz';
import { AppError } from '../../errors';
import { readObject, type ByteRange } from '../../storage';
import { tenantModels } from '../../tenancy/connections';
import { getConversation } from '../conversations/scoped';
import { oid } from '../shared/ids';
import { cleanFilename, isInlineSafe } from './media-names';

/**
 * An agent opening a stored attachment. Who may read the conversation may read its attachments
 * (the conversation is looked up through the CASL filter); a message of another organisation, a
 * conversation out of scope or a guessed address are all the same NOT_FOUND. The object key is
 * never taken from the request: it comes from the message, and storage checks it lies in this
 * organisation's namespace.
 */
export interface AttachmentDownload {
  status: 200 | 206;
  body: ReadableStream<Uint8Array>;
  headers: Record<string, string>;
}

const ID_RE = /^[0-9a-f]{24}$/;

/** `bytes=a-b` / `bytes=a-`: one range, as media elements ask; anything else is answered in full. */
export function parseRange(header: string | null): ByteRange | undefined {
  const m = /^bytes=(\d{1,15})-(\d{0,15})$/.exec(header?.trim() ?? '');
  if (!m) return undefined;
  const start = Number(m[1]);
  const end = m[2] ? Number(m[2]) : undefined;
  return end !== undefined && end < start ? undefined : { start, end };
}

function disposition(type: 'inline' | 'attachment', filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

export async function openAttachment(
  slug: string,
  ability: AppAbility,
  messageId: string,
  rawIndex: string,
  rangeHeader: string | null = null,
): Promise<AttachmentDownload> {
  const index = Number(rawIndex);
  if (!ID_RE.test(messageId) || !/^\d{1,2}$/.test(rawIndex)) throw new AppError('BAD_REQUEST', 'Not a valid attachment address');
  const msg = await tenantModels(slug)
    .ConversationMessage.findById(oid(messageId))
    .select({ conversationId: 1, attachments: 1 })
    .lean();
  if (!msg) throw new AppError('NOT_FOUND', 'Attachment not found');
  await getConversation(slug, ability, String(msg.conversationId)); // NOT_FOUND when out of the user's scope
  const att = (msg.attachments as unknown as Array<Record<string, unknown>> | undefined)?.[index];
  if (!att) throw new AppError('NOT_FOUND', 'Attachment not found');
  if (att.status === 'failed')
    throw new AppError(
      'NOT_FOUND',
      `This attachment could not be downloaded: ${String((att.error as { message?: string })?.message ?? 'unknown error')}`,
    );
  if (att.status !== 'stored' || typeof att.key !== 'string')
    throw new AppError('CONFLICT', 'This attachment is still being downloaded; try again in a moment');

  const range = parseRange(rangeHeader);
  const obj = await readObject(slug, att.key, range);
  const contentType = String(att.contentType ?? obj.contentType);
  const inline = isInlineSafe(contentType);
  const filename = cleanFilename(String(att.filename ?? 'attachment'));
  return {
    status: obj.contentRange ? 206 : 200,
    body: Readable.toWeb(obj.body) as ReadableStream<Uint8Array>,
    headers: {
      'content-type': inline ? contentType : 'application/octet-stream',
      'content-length': String(obj.contentLength),
      ...(obj.contentRange ? { 'content-range': obj.contentRange } : {}),
      'accept-ranges': 'bytes',
      'content-disposition': disposition(inline ? 'inline' : 'attachment', filename),
      // Per-user content: browsers may keep it briefly, shared caches (proxies, CDNs) never.
      'cache-control': 'private, max-age=300',
      vary: 'Cookie',
      'x-content-type-options': 'nosniff',
      // Customer-supplied bytes on our origin: no scripts, no plugins, even if a browser renders them.
      'content-security-policy': "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox",
      ...(typeof att.sha256 === 'string' ? { 'x-content-sha256': att.sha256 } : {}),
    },
  };
}
