/**
 * Delegation statuses, named after APNIC/JPNIC usage, and which status may be delegated from which.
 * One table; `delegations.ts` enforces it for every write.
 *
 * | status        | APNIC/JPNIC meaning                                              |
 * |---------------|------------------------------------------------------------------|
 * | allocated     | ALLOCATED PORTABLE: handed to a registry (RIR, NIR, LIR) to delegate further |
 * | sub-allocated | JPNIC SUBA / APNIC ALLOCATED NON-PORTABLE: an LIR's block for a downstream ISP |
 * | assigned      | ASSIGNED (PORTABLE / NON-PORTABLE): in use by an end user, not delegated further |
 * | reserved      | held back by the registry (IANA special use, registry reserve)   |
 * | available     | free pool entry as published in statistics files                 |
 * | legacy        | pre-RIR (historical) delegation, IANA "other organisations"       |
 */
export const DELEGATION_STATUSES = ['allocated', 'sub-allocated', 'assigned', 'reserved', 'available', 'legacy'] as const;
export type DelegationStatus = (typeof DELEGATION_STATUSES)[number];

/** parent status → statuses its holder may delegate from it. */
export const CHILD_STATUSES: Record<DelegationStatus, readonly DelegationStatus[]> = {
  allocated: ['allocated', 'sub-allocated', 'assigned', 'reserved'],
  'sub-allocated': ['sub-allocated', 'assigned'],
  legacy: ['sub-allocated', 'assigned'],
  assigned: [],
  reserved: [],
  available: [],
};

/** The operation names of the API and CLI, and the status each creates. */
export const DELEGATE_OPERATIONS = {
  allocate: 'allocated',
  'sub-allocate': 'sub-allocated',
  assign: 'assigned',
  reserve: 'reserved',
} as const satisfies Record<string, DelegationStatus>;
export type DelegateOperation = keyof typeof DELEGATE_OPERATIONS;

export function isDelegationStatus(value: string): value is DelegationStatus {
  return (DELEGATION_STATUSES as readonly string[]).includes(value);
}
