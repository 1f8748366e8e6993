/** SQL of applications and the team's decisions on them. */
import type { Executor } from '../../../context.js';
import type { MemberState } from '../../../db/schema.js';

export const communeExists = async (db: Executor, territoryId: number, insee: string) =>
  !!(await db.selectFrom('commune').select('insee').where('territory_id', '=', territoryId).where('insee', '=', insee).executeTakeFirst());

export interface NewMember {
  territoryId: number;
  number: number;
  userId: string;
  planId: number;
  firstName: string;
  lastName: string;
  phone: string | null;
  activity: string | null;
  insee: string | null;
  newcomerCaseId: string | null;
  state: MemberState;
  cardToken: string;
  now: Date;
  /** Who approved it, when it is approved as it is created (an import). */
  decidedBy?: string | null;
}

const memberRow = (m: NewMember) => ({
  territory_id: m.territoryId,
  number: m.number,
  user_id: m.userId,
  plan_id: m.planId,
  first_name: m.firstName,
  last_name: m.lastName,
  phone: m.phone,
  activity: m.activity,
  insee: m.insee,
  outside_territory: m.insee === null,
  newcomer_case_id: m.newcomerCaseId,
  state: m.state,
  decided_at: m.state === 'approved' ? m.now : null,
  decided_by: m.decidedBy ?? null,
  card_token: m.cardToken,
  accepted_statutes_at: m.now,
  accepted_privacy_at: m.now,
  created_at: m.now,
  updated_at: m.now,
});

/**
 * A declined application made again: the same row and member number, the new answers, the team's earlier decision
 * cleared (the audit log keeps it).
 */
export const reopenApplication = (db: Executor, memberId: string, m: NewMember) => {
  const { territory_id: _t, number: _n, user_id: _u, card_token: _c, created_at: _at, ...answers } = memberRow(m);
  return db
    .updateTable('member')
    .set({ ...answers, decision_message: null, struck_off_reason: null })
    .where('id', '=', memberId)
    .where('state', '=', 'declined')
    .returning(['id', 'number'])
    .executeTakeFirstOrThrow();
};

export const insertMember = (db: Executor, m: NewMember) => db.insertInto('member').values(memberRow(m)).returning(['id', 'number']).executeTakeFirstOrThrow();

/** Several members in one statement (an import); each answer carries its number, to match it with its line. */
export const insertMembers = (db: Executor, members: NewMember[]) =>
  members.length === 0 ? Promise.resolve([]) : db.insertInto('member').values(members.map(memberRow)).returning(['id', 'number', 'user_id']).execute();

export const setDecision = (db: Executor, memberId: string, d: { state: MemberState; message: string | null; by: string; now: Date; reason?: string | null }) =>
  db
    .updateTable('member')
    .set({
      state: d.state,
      decision_message: d.message,
      decided_at: d.now,
      decided_by: d.by,
      struck_off_reason: d.reason ?? null,
      updated_at: d.now,
    })
    .where('id', '=', memberId)
    .execute();

