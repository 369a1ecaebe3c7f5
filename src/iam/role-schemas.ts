import { Type, type Static } from 'typebox';
import type { Role } from '../kernel/policy.js';
import type { CustomRole } from './role-store.js';

export const PolicySchema = Type.Object({
  description: Type.String({ maxLength: 500 }),
  effect: Type.String({ description: 'Only "allow" exists; read case-insensitively.' }),
  resources: Type.Array(Type.String({ maxLength: 500 }), { maxItems: 200 }),
  actions: Type.Array(Type.String({ maxLength: 64 }), {
    maxItems: 200,
    description: 'Any action name: real roles use several that the Astra spec does not list.',
  }),
});

export const RoleSchema = Type.Object({
  ID: Type.String(),
  Name: Type.String(),
  Policy: PolicySchema,
  OrgID: Type.Optional(Type.String()),
  LastUpdateDateTime: Type.Optional(Type.String()),
  LastUpdateUserID: Type.Optional(Type.String()),
});

/** Clients send `name`/`policy`; Go's and Java's case-insensitive decoders may send `Name`/`Policy`. */
export const RoleInputSchema = Type.Object({
  name: Type.Optional(Type.String({ maxLength: 100 })),
  Name: Type.Optional(Type.String({ maxLength: 100 })),
  policy: Type.Optional(PolicySchema),
  Policy: Type.Optional(PolicySchema),
});

export function roleInput(body: Static<typeof RoleInputSchema>) {
  const name = body.name ?? body.Name;
  const policy = body.policy ?? body.Policy;
  return { name, policy: policy && { ...policy, effect: policy.effect.toLowerCase() as 'allow' } };
}

export function roleView(role: Role | CustomRole): Static<typeof RoleSchema> {
  const view: Static<typeof RoleSchema> = { ID: role.id, Name: role.name, Policy: role.policy };
  if ('orgId' in role) {
    view.OrgID = role.orgId;
    view.LastUpdateDateTime = role.updatedAt;
    view.LastUpdateUserID = role.updatedBy;
  }
  return view;
}
