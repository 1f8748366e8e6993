/** Strings of the agenda's sections on other pages. French first, English with the same keys. */
export const fr = {
  'events.sections.home.title': 'Prochains événements',
  'events.sections.home.more': 'Tout l’agenda',
  'events.sections.commune.title': 'Événements dans la commune',
  'events.sections.commune.more': 'Tous les événements de la commune',
  'events.sections.place.title': 'Prochains événements à {place}',
  'events.sections.place.more': 'Tous les événements de ce tiers-lieu',
};

export const en: typeof fr = {
  'events.sections.home.title': 'Upcoming events',
  'events.sections.home.more': 'The whole agenda',
  'events.sections.commune.title': 'Events in this village',
  'events.sections.commune.more': 'All events in this village',
  'events.sections.place.title': 'Upcoming events at {place}',
  'events.sections.place.more': 'All events at this third place',
};
