export const fr = {
  'mail.signature': 'L’équipe {programme}',
};

export const en: Record<keyof typeof fr, string> = {
  'mail.signature': 'The {programme} team',
};
