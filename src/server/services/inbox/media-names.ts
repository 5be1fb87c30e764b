/**
 * File names for stored attachments. WhatsApp sends a name only for documents; photos, voice notes
 * and Messenger/Twilio media have none, so one is made from the kind and the content type. Names
 * are cleaned of path separators and control characters (they end up in Content-Disposition).
 */
const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'audio/ogg': 'ogg',
  'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a',
  'audio/aac': 'aac',
  'audio/amr': 'amr',
  'video/mp4': 'mp4',
  'video/3gpp': '3gp',
  'application/pdf': 'pdf',
  'text/plain': 'txt',
};

export function cleanFilename(name: string): string {
  const cleaned = name.replace(/[\u0000-\u001f\u007f/\\]+/g, '_').trim();
  return cleaned.slice(-200) || 'attachment';
}

export function attachmentFilename(
  att: { kind: string; filename?: string },
  contentType: string,
  messageId: string,
  index: number,
): string {
  if (att.filename) return cleanFilename(att.filename);
  const ext =
    EXTENSIONS[contentType] ??
    contentType
      .split('/')[1]
      ?.replace(/[^a-z0-9]/gi, '')
      .slice(0, 8) ??
    'bin';
  return `${att.kind}-${messageId.slice(-6)}-${index + 1}.${ext || 'bin'}`;
}

/** Types a browser may show inline from our origin: raster images, audio, video, PDF. Never HTML or SVG. */
const INLINE = /^(image\/(jpeg|png|gif|webp)|audio\/[a-z0-9.+-]+|video\/[a-z0-9.+-]+|application\/pdf)$/;
export const isInlineSafe = (contentType: string) => INLINE.test(contentType);
