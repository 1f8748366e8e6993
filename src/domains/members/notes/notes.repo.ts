/** The only SQL of the notes room: notes on a member's record. */
import type { Executor } from '../../../context.js';

/** The membership of an account in a territory (any state), for a note about that person. */
export const findMemberIdOfUser = (db: Executor, territoryId: number, userId: string) =>
  db.selectFrom('member').select('id').where('territory_id', '=', territoryId).where('user_id', '=', userId).executeTakeFirst();

export const insertNote = (db: Executor, n: { territoryId: number; memberId: string; authorId: string | null; source: 'staff' | 'appointment'; body: string; at: Date }) =>
  db
    .insertInto('member_note')
    .values({ territory_id: n.territoryId, member_id: n.memberId, author_id: n.authorId, source: n.source, body: n.body, created_at: n.at })
    .returning('id')
    .executeTakeFirstOrThrow();

export const listNotesOfMember = (db: Executor, memberId: string) =>
  db
    .selectFrom('member_note as n')
    .leftJoin('user_account as u', 'u.id', 'n.author_id')
    .select(['n.id', 'n.source', 'n.body', 'n.created_at', 'u.display_name as author_name'])
    .where('n.member_id', '=', memberId)
    .orderBy('n.created_at', 'desc')
    .orderBy('n.id', 'desc')
    .execute();

export const deleteNotesOfMember = (db: Executor, memberId: string) => db.deleteFrom('member_note').where('member_id', '=', memberId).executeTakeFirst();
