import { z } from 'zod';
import { tenantModels } from '../../tenancy/connections';
import { auditOrgChange, type OrgActor } from '../audit';

/**
 * Canned responses: the organisation's shared snippets (`/shortcut` -> text), kept in one settings
 * document so they need no collection of their own. Admins edit them; every agent reads them.
 */
const KEY = 'workspace.canned-responses';
export const cannedItem = z.strictObject({
  shortcut: z
    .string()
    .trim()
    .regex(/^[a-z0-9-]{1,30}$/, 'Shortcuts are lowercase letters, digits and dashes, up to 30'),
  text: z.string().trim().min(1, 'The text is empty').max(2000, 'The text is at most 2000 characters'),
});
/** The whole list is saved at once; a shortcut used twice is an error rather than a silent overwrite. */
export const cannedSaveInput = z.strictObject({
  items: z
    .array(cannedItem)
    .max(200, 'At most 200 canned responses')
    .superRefine((items, ctx) => {
      const seen = new Set<string>();
      items.forEach((item, i) => {
        if (seen.has(item.shortcut))
          ctx.addIssue({ code: 'custom', path: [i, 'shortcut'], message: `The shortcut /${item.shortcut} is used twice` });
        seen.add(item.shortcut);
      });
    }),
});
export type CannedItem = z.infer<typeof cannedItem>;

export async function listCanned(slug: string): Promise<CannedItem[]> {
  const doc = await tenantModels(slug).Setting.findById(KEY).lean();
  const parsed = z.array(cannedItem).safeParse(doc?.value);
  return parsed.success ? parsed.data : [];
}

export async function saveCanned(slug: string, items: CannedItem[], actor?: OrgActor): Promise<CannedItem[]> {
  const before = await listCanned(slug);
  const unique = [...new Map(items.map((i) => [i.shortcut, i])).values()].sort((a, b) => a.shortcut.localeCompare(b.shortcut));
  await tenantModels(slug).Setting.updateOne({ _id: KEY }, { $set: { value: unique } }, { upsert: true });
  if (actor) await auditOrgChange(slug, actor, 'canned.saved', { type: 'Settings', id: KEY }, { before, after: unique });
  return unique;
}
