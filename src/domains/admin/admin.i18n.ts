export const fr = {
  'admin.nav.label': 'Sections de l’administration',
  'admin.nav.dashboard': 'Tableau de bord',
  'admin.nav.users': 'Personnes et rôles',
  'admin.nav.audit': 'Journal',
  'admin.nav.mail': 'Courriels',
  'admin.dashboard.title': 'Tableau de bord',
  'admin.dashboard.welcome': 'Bonjour {name}.',
  'admin.dashboard.lead': 'Voici l’essentiel du programme aujourd’hui.',
  'admin.dashboard.users': 'Comptes',
  'admin.dashboard.mailPending': 'Courriels en attente',
  'admin.dashboard.jobsFailed': 'Tâches en échec',
  'admin.dashboard.recent': 'Dernières actions',
};

export const en: Record<keyof typeof fr, string> = {
  'admin.nav.label': 'Back office sections',
  'admin.nav.dashboard': 'Dashboard',
  'admin.nav.users': 'People and roles',
  'admin.nav.audit': 'Audit log',
  'admin.nav.mail': 'Mail',
  'admin.dashboard.title': 'Dashboard',
  'admin.dashboard.welcome': 'Hello {name}.',
  'admin.dashboard.lead': 'Here is the programme at a glance today.',
  'admin.dashboard.users': 'Accounts',
  'admin.dashboard.mailPending': 'Mails waiting',
  'admin.dashboard.jobsFailed': 'Failed jobs',
  'admin.dashboard.recent': 'Latest actions',
};
