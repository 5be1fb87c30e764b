import { z } from 'zod';
import { packedRulesFor } from '../../authz';
import { router } from '../init';
import { authedProcedure } from '../procedures';

/** Who am I and what may I do: the browser builds its CASL ability from these packed rules. */
export const meRouter = router({
  get: authedProcedure.input(z.strictObject({}).optional()).query(({ ctx }) => ({
    user: { id: ctx.user.id, email: ctx.user.email, name: ctx.user.name, role: ctx.user.role },
    rules: packedRulesFor(ctx.roles, ctx.abilityUser),
  })),
});
