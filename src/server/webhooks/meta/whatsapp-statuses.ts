import type { StatusEvent } from '@/server/services/inbox/events';
import { asArray, asRecord, str, type Json } from '../json';

/** WhatsApp `statuses[]`: sent / delivered / read / failed, with `errors[]` on failures. */
export function parseWhatsAppStatuses(value: Json): StatusEvent[] {
  return asArray(value.statuses).flatMap((s): StatusEvent[] => {
    const st = asRecord(s);
    const status = str(st.status);
    const id = str(st.id);
    if (!id || (status !== 'sent' && status !== 'delivered' && status !== 'read' && status !== 'failed')) return [];
    const err = asRecord(asArray(st.errors)[0]);
    const error =
      status === 'failed'
        ? {
            code: String(err.code ?? 'unknown'),
            message: str(asRecord(err.error_data).details) ?? str(err.message) ?? str(err.title) ?? 'failed',
          }
        : undefined;
    return [
      {
        kind: 'status',
        channel: 'whatsapp',
        providerMessageId: id,
        status,
        timestamp: Number(str(st.timestamp) ?? 0) * 1000,
        error,
      },
    ];
  });
}
