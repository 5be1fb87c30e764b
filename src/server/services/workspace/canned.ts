import { z } from 'zod';
import { tenantModels } from '../../tenancy/connections';

/**
 * Canned responses: the organisation's shared snippets (`/shortcut` -> text), kept in one settings
 * document so they need no collection of their own. Admins edit them; every agent reads them.
 */
const KEY = 'workspace.canned-responses';
export const cannedItem = z.strictObject({
  shortcut: z
    .string()
    .trim()
    .regex(/^[a-z0-9-]{1,30}$/, 'Shortcuts are lowercase letters, digits and dashes'),
  text: z.string().trim().min(1).max(2000),
});
export const cannedSaveInput = z.strictObject({ items: z.array(cannedItem).max(200) });
export type CannedItem = z.infer<typeof cannedItem>;

export async function listCanned(slug: string): Promise<CannedItem[]> {
  const doc = await tenantModels(slug).Setting.findById(KEY).lean();
  const parsed = z.array(cannedItem).safeParse(doc?.value);
  return parsed.success ? parsed.data : [];
}

export async function saveCanned(slug: string, items: CannedItem[]): Promise<CannedItem[]> {
  const unique = [...new Map(items.map((i) => [i.shortcut, i])).values()].sort((a, b) => a.shortcut.localeCompare(b.shortcut));
  await tenantModels(slug).Setting.updateOne({ _id: KEY }, { $set: { value: unique } }, { upsert: true });
  return unique;
}
