/**
 * Where an adviser's note goes besides the appointment: the person's newcomer case or member record, when they have
 * one. Bookings offers the point and never reads those domains; the newcomers and members domains contribute in
 * their manifests, and the first one that holds a record of the person takes the note (a case before a membership,
 * in the modules' order).
 */
import type { AppContext, Executor } from '../../../context.js';
import { extensionPoint } from '../../../shared/extensions.js';

export interface AppointmentNote {
  territoryId: number;
  /** The account who booked the appointment. */
  userId: string;
  /** The adviser writing the note. */
  authorId: string;
  /** The note as the record shows it (the appointment's date and the adviser's words). */
  body: string;
  at: Date;
}

export interface AppointmentRecords {
  kind: 'newcomer_case' | 'member';
  /** Adds the note to the person's record, in the caller's transaction; false when the person has none here. */
  attachNote(trx: Executor, ctx: AppContext, note: AppointmentNote): Promise<boolean>;
}

export const appointmentRecordsPoint = extensionPoint<AppointmentRecords>('bookings.appointmentRecords');

/** Offers the note to each contributing domain in turn; returns the kind of record that took it. */
export async function attachToRecord(trx: Executor, ctx: AppContext, note: AppointmentNote) {
  for (const records of ctx.extensions.all(appointmentRecordsPoint)) {
    if (await records.attachNote(trx, ctx, note)) return records.kind;
  }
  return null;
}
