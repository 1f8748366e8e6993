/** The notes room: the team's notes on a member's record (adviser's notes from appointments among them). */
export { attachAppointmentNoteToMember, listMemberNotes, deleteMemberNotes, type MemberNote, type IncomingNote } from './notes.service.js';
export { MemberNotes } from './notes.views.js';
export * as notesI18n from './notes.i18n.js';
