/** SQL of the proposals: marking an event as a member's proposal, listing and deciding them. */
import type { Executor } from '../../../context.js';
import type { EventProposalStatus } from '../../../db/schema.js';

export const markProposed = (db: Executor, id: number, userId: string) =>
  db.updateTable('event').set({ proposed_by: userId, proposal_status: 'pending' }).where('id', '=', id).execute();

export const listProposals = (db: Executor, territoryId: number) =>
  db
    .selectFrom('event as e')
    .leftJoin('user_account as u', 'u.id', 'e.proposed_by')
    .select(['e.id', 'e.slug', 'e.title', 'e.starts_at', 'e.ends_at', 'e.all_day', 'e.organiser', 'e.proposal_status', 'e.proposal_message', 'e.created_at', 'u.display_name as member_name'])
    .where('e.territory_id', '=', territoryId)
    .where('e.proposal_status', 'is not', null)
    .orderBy((eb) => eb.case().when('e.proposal_status', '=', 'pending').then(0).else(1).end())
    .orderBy('e.created_at', 'desc')
    .limit(200)
    .execute();
export type ProposalRow = Awaited<ReturnType<typeof listProposals>>[number];

/** The proposal, locked: two team members deciding at once cannot both decide. */
export const lockProposal = (db: Executor, territoryId: number, id: number) =>
  db
    .selectFrom('event')
    .select(['id', 'slug', 'title', 'starts_at', 'ends_at', 'all_day', 'status', 'proposed_by', 'proposal_status'])
    .where('territory_id', '=', territoryId)
    .where('id', '=', id)
    .where('proposal_status', 'is not', null)
    .forUpdate()
    .executeTakeFirst();

export const decide = (db: Executor, id: number, v: { status: EventProposalStatus; message: string | null; organiser?: string; now: Date }) =>
  db
    .updateTable('event')
    .set({ proposal_status: v.status, proposal_message: v.message, updated_at: v.now, ...(v.organiser ? { organiser: v.organiser } : {}) })
    .where('id', '=', id)
    .execute();

export const findMember = (db: Executor, userId: string) =>
  db.selectFrom('user_account').select(['id', 'email', 'display_name', 'locale']).where('id', '=', userId).executeTakeFirst();

/** A member's own proposals, newest first, with what their page shows. */
const mineQuery = (db: Executor, territoryId: number, userId: string) =>
  db
    .selectFrom('event')
    .select(['id', 'slug', 'title', 'starts_at', 'ends_at', 'all_day', 'status', 'proposed_by', 'proposal_status', 'proposal_message', 'cover_id', 'cover_alt', 'created_at'])
    .where('territory_id', '=', territoryId)
    .where('proposed_by', '=', userId)
    .where('proposal_status', 'is not', null);

export const listMine = (db: Executor, territoryId: number, userId: string) => mineQuery(db, territoryId, userId).orderBy('created_at', 'desc').limit(100).execute();
export type MyProposalRow = Awaited<ReturnType<typeof listMine>>[number];

export const findMine = (db: Executor, territoryId: number, userId: string, id: number) => mineQuery(db, territoryId, userId).where('id', '=', id).executeTakeFirst();
