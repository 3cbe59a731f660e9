/**
 * Who performs a change. Every write names its actor; the actor's text form is stored in the change feed.
 * - system: bootstrap and imports (no authorisation checks).
 * - staff: a registry staff member, acting for the registry organisation they work for.
 * - member: an LIR/member organisation, authenticated by API key, portal session or maintainer password.
 */
export type Actor =
  | { kind: 'system'; name?: string }
  | { kind: 'staff'; name: string; orgId: string }
  | { kind: 'member'; orgId: string; via: string };

export const SYSTEM: Actor = { kind: 'system' };

export function actorLabel(actor: Actor): string {
  switch (actor.kind) {
    case 'system':
      return actor.name ? `system:${actor.name}` : 'system';
    case 'staff':
      return `staff:${actor.name}`;
    case 'member':
      return actor.via;
  }
}

/** The organisation on whose behalf the actor acts, if any. */
export function actingOrgId(actor: Actor): string | undefined {
  return actor.kind === 'system' ? undefined : actor.orgId;
}
