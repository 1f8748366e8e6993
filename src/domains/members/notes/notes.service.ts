/**
 * Notes on a member's record, read by the team on the member's staff page and never shown to members. Other
 * domains add to them through the members' index: the bookings domain attaches an adviser's note after a
 * creator-support appointment (it contributes to its own `appointmentRecordsPoint` with this function, so members
 * never import bookings, which already depends on members through events).
 */
import type { AppContext, Executor } from '../../../context.js';
import * as repo from './notes.repo.js';

export type MemberNote = Awaited<ReturnType<typeof repo.listNotesOfMember>>[number];

/** A note about a person from another domain, written in the caller's transaction. */
export interface IncomingNote {
  territoryId: number;
  userId: string;
  authorId: string;
  body: string;
  at: Date;
}

/** Adds the note to the person's membership record; false when the person holds no membership here. */
export async function attachAppointmentNoteToMember(trx: Executor, _ctx: AppContext, note: IncomingNote) {
  const member = await repo.findMemberIdOfUser(trx, note.territoryId, note.userId);
  if (!member) return false;
  await repo.insertNote(trx, { territoryId: note.territoryId, memberId: member.id, authorId: note.authorId, source: 'appointment', body: note.body.slice(0, 5000), at: note.at });
  return true;
}

/** The notes of a member's record, newest first (the caller has checked the reader is on the team). */
export const listMemberNotes = (db: Executor, memberId: string) => repo.listNotesOfMember(db, memberId);

/** Personal data: the notes go with the person's erasure. */
export const deleteMemberNotes = (db: Executor, memberId: string) => repo.deleteNotesOfMember(db, memberId);
