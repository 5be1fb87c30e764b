import type { Schema } from 'mongoose';
import { AppError } from '../../../errors';
import { platformModels } from '../platform';

/**
 * Decision 7: `User.role` must name a role in the organisation's `roles[]`. A typo is refused when
 * written (save, create, insertMany and update operators), never discovered later as an empty
 * ability. The organisation is found from the tenant database name (`org_<slug>_db`).
 */
function slugOf(dbName: string): string {
  return dbName.replace(/^org_/, '').replace(/_db$/, '').replace(/_/g, '-');
}

async function assertRole(dbName: string, role: unknown): Promise<void> {
  // Read fresh, not from the resolve cache: a role added a moment ago must be usable at once.
  const org = await platformModels()
    .Organization.findOne({ slug: { $eq: slugOf(dbName) } })
    .select({ 'roles.name': 1 })
    .lean();
  if (!org) throw new AppError('NOT_FOUND', `No organisation for database ${dbName}`);
  if (typeof role !== 'string' || !org.roles.some((r) => r.name === role)) {
    throw new AppError('BAD_REQUEST', `Role "${String(role)}" does not exist in this organisation`);
  }
}

type Update = Record<string, unknown> & { $set?: Record<string, unknown>; $setOnInsert?: Record<string, unknown> };

export function guardUserRole(schema: Schema): void {
  schema.pre('save', async function () {
    if (this.isNew || this.isModified('role')) await assertRole(this.db.name, this.get('role'));
  });
  schema.pre('insertMany', async function (this: { db: { name: string } }, docs: unknown) {
    for (const doc of Array.isArray(docs) ? docs : [docs]) await assertRole(this.db.name, (doc as { role?: unknown }).role);
  });
  for (const op of ['updateOne', 'updateMany', 'findOneAndUpdate', 'replaceOne', 'findOneAndReplace'] as const) {
    schema.pre(op, async function () {
      const update = (this.getUpdate() ?? {}) as Update;
      for (const role of [update.role, update.$set?.role, update.$setOnInsert?.role]) {
        if (role !== undefined) await assertRole(this.model.db.name, role);
      }
    });
  }
}
