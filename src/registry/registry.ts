/**
 * The registry facade: the single write path (validate → authorise → policy → write in one transaction →
 * record history → notify views) for every entry point. Read helpers are re-exported for convenience.
 */
import type { Db, Queryable } from '../db/database.js';
import { pgErrorCode, PG_DEADLOCK, PG_SERIALIZATION_FAILURE } from '../db/database.js';
import type { Actor } from './actor.js';
import { delegate, modifyDelegation, reclaimDelegation, returnDelegation, type DelegateInput, type DelegationAttributes } from './delegations.js';
import { ChangeNotifier, currentSerial } from './feed.js';
import { approveTransfer, cancelTransfer, proposeTransfer } from './transfers.js';
import { createOrganisation, type NewOrganisation } from './organisations.js';
import { createContact, type NewContact } from './contacts.js';
import { createMaintainer, type NewMaintainer } from './maintainers.js';
import { deleteContact, deleteMaintainer, updateContact, updateMaintainer, type ContactChanges, type MaintainerChanges } from './directory-edits.js';

const RETRYABLE = new Set([PG_SERIALIZATION_FAILURE, PG_DEADLOCK]);

export class Registry {
  readonly changes = new ChangeNotifier();

  constructor(readonly db: Db) {}

  /**
   * Runs a write in one transaction and, after COMMIT, tells in-process views about the new serials.
   * Deadlocks and serialisation failures are retried; nothing is acknowledged before COMMIT.
   */
  async write<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.db.transaction(work);
        this.changes.committed(await currentSerial(this.db));
        return result;
      } catch (error) {
        if (attempt < 3 && RETRYABLE.has(pgErrorCode(error) ?? '')) continue;
        throw error;
      }
    }
  }

  delegate(input: DelegateInput, actor: Actor) {
    return this.write((tx) => delegate(tx, input, actor));
  }
  returnDelegation(id: string, actor: Actor, reason?: string) {
    return this.write((tx) => returnDelegation(tx, id, actor, reason));
  }
  reclaim(id: string, actor: Actor, reason?: string) {
    return this.write((tx) => reclaimDelegation(tx, id, actor, reason));
  }
  modify(id: string, patch: DelegationAttributes, actor: Actor, reason?: string) {
    return this.write((tx) => modifyDelegation(tx, id, patch, actor, reason));
  }
  proposeTransfer(delegationId: string, toHandle: string, actor: Actor, reason?: string) {
    return this.write((tx) => proposeTransfer(tx, delegationId, toHandle, actor, reason));
  }
  approveTransfer(transferId: string, actor: Actor) {
    return this.write((tx) => approveTransfer(tx, transferId, actor));
  }
  cancelTransfer(transferId: string, actor: Actor) {
    return this.write((tx) => cancelTransfer(tx, transferId, actor));
  }
  createOrganisation(input: NewOrganisation, actor: Actor, reason?: string) {
    return this.write((tx) => createOrganisation(tx, input, actor, reason));
  }
  createContact(input: NewContact, actor: Actor, reason?: string) {
    return this.write((tx) => createContact(tx, input, actor, reason));
  }
  createMaintainer(input: NewMaintainer, actor: Actor, reason?: string) {
    return this.write((tx) => createMaintainer(tx, input, actor, reason));
  }

  updateContact(handle: string, changes: ContactChanges, actor: Actor, reason?: string) {
    return this.write((tx) => updateContact(tx, handle, changes, actor, reason));
  }

  deleteContact(handle: string, actor: Actor, reason?: string) {
    return this.write((tx) => deleteContact(tx, handle, actor, reason));
  }

  updateMaintainer(handle: string, changes: MaintainerChanges, actor: Actor, reason?: string) {
    return this.write((tx) => updateMaintainer(tx, handle, changes, actor, reason));
  }

  deleteMaintainer(handle: string, actor: Actor, reason?: string) {
    return this.write((tx) => deleteMaintainer(tx, handle, actor, reason));
  }
}
