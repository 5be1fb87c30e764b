import { z } from 'zod';
import { AppError } from '../../errors';
import { tenantModels } from '../../tenancy/connections';
import { auditOrgChange, type OrgActor } from '../audit';
import { isDuplicateKey, objectIdInput, plain } from '../shared/ids';
import { bodyProblems, variableCount } from './templates-body';

/**
 * Message templates, managed in the admin console: what an agent may send on WhatsApp once the
 * 24-hour window has closed. Approval happens at Meta; syncing with Meta is not built, so an admin
 * records the outcome (pending / approved / rejected) by hand and only approved ones reach agents.
 */
/** Templates are sent through the WhatsApp Cloud API (delivery.ts); other channels have no templates. */
export const TEMPLATE_CHANNELS = ['whatsapp'] as const;
export const TEMPLATE_CATEGORIES = ['utility', 'marketing', 'authentication'] as const;
export const TEMPLATE_STATUSES = ['pending', 'approved', 'rejected'] as const;

const variable = z.strictObject({
  label: z.string().trim().max(40, 'A variable label is at most 40 characters').default(''),
  example: z.string().trim().min(1, 'Every variable needs an example value').max(200, 'An example is at most 200 characters'),
});

export const templateInput = z
  .strictObject({
    name: z
      .string()
      .trim()
      .regex(/^[a-z0-9_]{1,100}$/, 'The name uses lowercase letters, digits and underscores only (as Meta requires), up to 100'),
    language: z
      .string()
      .trim()
      .regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'The language is a code such as en, en_US or pt_BR'),
    category: z.enum(TEMPLATE_CATEGORIES),
    channel: z.enum(TEMPLATE_CHANNELS).default('whatsapp'),
    /** One inbox only, or null for every inbox of the channel. */
    inboxId: objectIdInput.nullable().default(null),
    body: z.string().trim().min(1, 'The body is empty').max(1024, 'The body is at most 1024 characters'),
    variables: z.array(variable).max(20, 'At most 20 variables').default([]),
    status: z.enum(TEMPLATE_STATUSES).default('pending'),
  })
  .superRefine((t, ctx) => {
    for (const message of bodyProblems(t.body)) ctx.addIssue({ code: 'custom', path: ['body'], message });
    const count = variableCount(t.body);
    if (count !== t.variables.length)
      ctx.addIssue({
        code: 'custom',
        path: ['variables'],
        message: `The body has ${count} variable(s) but ${t.variables.length} example(s) were given: each {{n}} needs one`,
      });
  });
export const templateUpdateInput = z.strictObject({ id: objectIdInput, template: templateInput });
export type TemplateInput = z.input<typeof templateInput>;
type Parsed = z.output<typeof templateInput>;

export async function listTemplates(slug: string) {
  const { Template, Inbox } = tenantModels(slug);
  const [rows, inboxes] = await Promise.all([
    Template.find().sort({ name: 1, language: 1 }).limit(1000).lean(),
    Inbox.find().select({ name: 1 }).lean(),
  ]);
  const inboxName = new Map(inboxes.map((i) => [String(i._id), i.name]));
  return rows.map((t) => ({
    id: String(t._id),
    name: t.name,
    language: t.language ?? 'en',
    category: (t.category ?? 'utility') as (typeof TEMPLATE_CATEGORIES)[number],
    channel: t.channel,
    inboxId: t.inboxId ?? null,
    inboxName: t.inboxId ? (inboxName.get(t.inboxId) ?? 'a deleted inbox') : null,
    body: t.body,
    variables: Array.from({ length: variableCount(t.body) }, (_, i) => ({ label: t.variables[i] ?? '', example: t.examples?.[i] ?? '' })),
    status: t.status,
    updatedAt: t.updatedAt?.toISOString() ?? null,
  }));
}

/** The stored shape; the inbox must be one of this organisation's, on the template's channel. */
async function toDoc(slug: string, t: Parsed) {
  if (t.inboxId) {
    const inbox = await tenantModels(slug).Inbox.findById(t.inboxId).select({ channel: 1 }).lean();
    if (!inbox) throw new AppError('NOT_FOUND', 'That inbox does not exist');
    if (inbox.channel !== t.channel) throw new AppError('BAD_REQUEST', `That inbox is not a ${t.channel} inbox`);
  }
  return {
    name: t.name,
    language: t.language,
    category: t.category,
    channel: t.channel,
    inboxId: t.inboxId ?? undefined,
    body: t.body,
    variables: t.variables.map((v) => v.label),
    examples: t.variables.map((v) => v.example),
    status: t.status,
  };
}

const duplicate = (t: Parsed) =>
  new AppError('CONFLICT', `A ${t.channel} template named “${t.name}” in ${t.language} already exists`);

export async function createTemplate(slug: string, raw: TemplateInput, actor: OrgActor) {
  const t = templateInput.parse(raw);
  const doc = await toDoc(slug, t);
  const created = await tenantModels(slug)
    .Template.create(doc)
    .catch((err: unknown) => {
      throw isDuplicateKey(err) ? duplicate(t) : err;
    });
  const id = String(created._id);
  await auditOrgChange(slug, actor, 'template.created', { type: 'Template', id }, { after: doc });
  return { id };
}

export async function updateTemplate(slug: string, id: string, raw: TemplateInput, actor: OrgActor) {
  const t = templateInput.parse(raw);
  const doc = await toDoc(slug, t);
  const { Template } = tenantModels(slug);
  const before = await Template.findById(id).lean();
  if (!before) throw new AppError('NOT_FOUND', 'Template not found');
  const unset = doc.inboxId ? {} : { $unset: { inboxId: 1 } };
  const { inboxId, ...rest } = doc;
  await Template.updateOne({ _id: before._id }, { $set: inboxId ? { ...rest, inboxId } : rest, ...unset }).catch((err: unknown) => {
    throw isDuplicateKey(err) ? duplicate(t) : err;
  });
  const action = before.status !== t.status ? `template.${t.status}` : 'template.updated';
  await auditOrgChange(slug, actor, action, { type: 'Template', id }, { before: plain(before), after: doc });
  return { id };
}

export async function deleteTemplate(slug: string, id: string, actor: OrgActor) {
  const before = await tenantModels(slug).Template.findByIdAndDelete(id).lean();
  if (!before) throw new AppError('NOT_FOUND', 'Template not found');
  await auditOrgChange(slug, actor, 'template.deleted', { type: 'Template', id }, { before: plain(before) });
}
