import { z } from 'zod';
import { linkBase } from '../../auth/http';
import { objectIdInput } from '../../services/shared/ids';
import { inviteUser, listUsers, setUserActive, updateUser, userInvite, userListInput, userPatch } from '../../services/users';
import { actorOf } from '../actor';
import { router } from '../init';
import { can } from '../procedures';

export const adminUsersRouter = router({
  list: can('read', 'User').input(userListInput).query(({ ctx, input }) => listUsers(ctx.org.slug, input)),
  invite: can('create', 'User')
    .input(userInvite)
    .mutation(({ ctx, input }) =>
      inviteUser(ctx.org.slug, input, actorOf(ctx), linkBase({ headers: ctx.headers } as Request, ctx.org)),
    ),
  update: can('update', 'User').input(userPatch).mutation(({ ctx, input }) => updateUser(ctx.org.slug, input, actorOf(ctx))),
  setActive: can('update', 'User')
    .input(z.strictObject({ id: objectIdInput, active: z.boolean() }))
    .mutation(({ ctx, input }) => setUserActive(ctx.org.slug, input.id, input.active, actorOf(ctx))),
});
