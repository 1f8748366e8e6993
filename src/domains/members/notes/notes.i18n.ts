/** Strings of the notes room (French first, then English). */
export const fr = {
  'members.notes.title': 'Notes de l’équipe',
  'members.notes.lead': 'Visibles par l’équipe seulement, jamais par l’adhérent ni par les autres adhérents.',
  'members.notes.empty': 'Aucune note pour l’instant.',
  'members.notes.by': '{author}, le {when}',
  'members.notes.source.appointment': 'Rendez-vous d’accompagnement',
  'members.notes.source.staff': 'Note de l’équipe',
  'members.notes.unknownAuthor': 'Auteur supprimé',
};

export const en: Record<keyof typeof fr, string> = {
  'members.notes.title': 'Team notes',
  'members.notes.lead': 'Seen by the team only, never by the member or by other members.',
  'members.notes.empty': 'No note yet.',
  'members.notes.by': '{author}, on {when}',
  'members.notes.source.appointment': 'Support appointment',
  'members.notes.source.staff': 'Team note',
  'members.notes.unknownAuthor': 'Deleted author',
};
