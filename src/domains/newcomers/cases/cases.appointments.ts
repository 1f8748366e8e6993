/**
 * A creator-support appointment's note (the bookings domain) joins the household's case as a note of the team, so
 * it shows with the other notes on the case page and follows the case's own life (export, anonymisation).
 */
import type { AppContext, Executor } from '../../../context.js';
import type { AppointmentNote } from '../../bookings/index.js';
import * as repo from './cases.repo.js';

export async function attachAppointmentNote(trx: Executor, _ctx: AppContext, note: AppointmentNote) {
  const c = await repo.findCaseIdOfContact(trx, note.territoryId, note.userId);
  if (!c) return false;
  await repo.insertNote(trx, { territoryId: note.territoryId, caseId: c.id, authorId: note.authorId, body: note.body, now: note.at });
  return true;
}
