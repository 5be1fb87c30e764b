import { z } from 'zod';
import { ORG_SECRET_PATHS } from '../../crypto/secret-fields';
import { ORG_STATUSES } from '../../db/models/platform/org-constants';
import { provisionWithInvitation, resendInvitation, tenantUrl } from '../../services/platform-admin/provision';
import { recountUsage } from '../../services/platform-admin/usage';
import { getOrganizationForAdmin, listOrganizations } from '../../tenancy/admin-queries';
import { reactivateOrganization, suspendOrganization } from '../../tenancy/lifecycle';
import { provisionInput, slugInput } from '../../tenancy/org-input';
import { setOrgSecrets, settingsPatch, updateOrgSettings } from '../../tenancy/org-settings';
import { router } from '../init';
import { superAdminProcedure } from '../procedures';
import { platformActor } from './platform-actor';

/** Organisations in the operator panel. Services validate again and write the platform audit log. */
const bySlug = z.strictObject({ slug: slugInput });

export const platformOrgsRouter = router({
  list: superAdminProcedure
    .input(
      z.strictObject({
        q: z.string().trim().max(100).optional(),
        status: z.enum(ORG_STATUSES).optional(),
        limit: z.number().int().min(1).max(200).default(50),
        offset: z.number().int().min(0).max(100_000).default(0),
      }),
    )
    .query(({ input }) => listOrganizations(input)),

  get: superAdminProcedure.input(bySlug).query(async ({ ctx, input }) => ({
    ...(await getOrganizationForAdmin(input.slug)),
    url: tenantUrl(input.slug, ctx.headers.get('host')),
  })),

  provision: superAdminProcedure
    .input(provisionInput.omit({ actor: true }))
    .mutation(({ ctx, input }) => provisionWithInvitation(input, platformActor(ctx), ctx.headers.get('host'))),

  update: superAdminProcedure
    .input(z.strictObject({ slug: slugInput, patch: settingsPatch }))
    .mutation(async ({ ctx, input }) => {
      await updateOrgSettings(input.slug, input.patch, platformActor(ctx));
      return { ok: true };
    }),

  /** Write-only: a string sets, null clears, absent keeps; the answer never contains a value. */
  setSecrets: superAdminProcedure
    .input(
      z.strictObject({ slug: slugInput, secrets: z.partialRecord(z.enum(ORG_SECRET_PATHS), z.string().max(20_000).nullable()) }),
    )
    .mutation(async ({ ctx, input }) => {
      await setOrgSecrets(input.slug, input.secrets, platformActor(ctx));
      return { ok: true };
    }),

  suspend: superAdminProcedure
    .input(z.strictObject({ slug: slugInput, reason: z.string().trim().max(500).optional() }))
    .mutation(async ({ ctx, input }) => {
      await suspendOrganization(input.slug, platformActor(ctx), input.reason);
      return { ok: true };
    }),

  reactivate: superAdminProcedure.input(bySlug).mutation(async ({ ctx, input }) => {
    await reactivateOrganization(input.slug, platformActor(ctx));
    return { ok: true };
  }),

  refreshUsage: superAdminProcedure.input(bySlug).mutation(({ ctx, input }) => recountUsage(input.slug, platformActor(ctx))),

  resendInvitation: superAdminProcedure
    .input(z.strictObject({ slug: slugInput, email: z.string().trim().toLowerCase().email().max(320) }))
    .mutation(({ ctx, input }) => resendInvitation(input.slug, input.email, platformActor(ctx), ctx.headers.get('host'))),
});
