/**
 * The demo members' names and trades, so that what the directory says of a person agrees with them: a first name
 * comes with its grammatical gender, a trade with its feminine and masculine forms and the skills shown with it.
 * Demo content only (`npm start`'s sample community); nothing here is a fact about real people.
 */
export const DEMO_FIRST_NAMES: { name: string; feminine: boolean }[] = [
  { name: 'Camille', feminine: true },
  { name: 'Lucas', feminine: false },
  { name: 'Manon', feminine: true },
  { name: 'Hugo', feminine: false },
  { name: 'Chloé', feminine: true },
  { name: 'Louis', feminine: false },
  { name: 'Inès', feminine: true },
  { name: 'Jules', feminine: false },
  { name: 'Léna', feminine: true },
  { name: 'Arthur', feminine: false },
  { name: 'Zoé', feminine: true },
  { name: 'Théo', feminine: false },
  { name: 'Alice', feminine: true },
  { name: 'Nathan', feminine: false },
  { name: 'Jeanne', feminine: true },
  { name: 'Paul', feminine: false },
  { name: 'Sarah', feminine: true },
  { name: 'Maël', feminine: false },
  { name: 'Lina', feminine: true },
  { name: 'Gabriel', feminine: false },
];

export const DEMO_TRADES: { feminine: string; masculine: string; skills: string[] }[] = [
  { feminine: 'Développeuse web indépendante', masculine: 'Développeur web indépendant', skills: ['Développement web', 'Accessibilité', 'WordPress'] },
  { feminine: 'Graphiste et illustratrice', masculine: 'Graphiste et illustrateur', skills: ['Graphisme', 'Illustration', 'Identité visuelle'] },
  { feminine: 'Traductrice anglais-espagnol', masculine: 'Traducteur anglais-espagnol', skills: ['Traduction', 'Anglais', 'Espagnol'] },
  { feminine: 'Consultante en transition agricole', masculine: 'Consultant en transition agricole', skills: ['Agroécologie', 'Conseil', 'Circuits courts'] },
  { feminine: 'Formatrice en bureautique', masculine: 'Formateur en bureautique', skills: ['Formation', 'Bureautique', 'Tableurs'] },
  { feminine: 'Photographe', masculine: 'Photographe', skills: ['Photographie', 'Retouche', 'Reportage'] },
  { feminine: 'Rédactrice technique', masculine: 'Rédacteur technique', skills: ['Rédaction', 'Documentation', 'Relecture'] },
  { feminine: 'Architecte d’intérieur', masculine: 'Architecte d’intérieur', skills: ['Architecture intérieure', 'Rénovation', 'Plans 3D'] },
  { feminine: 'Community manager', masculine: 'Community manager', skills: ['Réseaux sociaux', 'Communication', 'Rédaction'] },
  { feminine: 'Comptable indépendante', masculine: 'Comptable indépendant', skills: ['Comptabilité', 'Gestion', 'Fiscalité'] },
  { feminine: 'Développeuse de jeux vidéo', masculine: 'Développeur de jeux vidéo', skills: ['Développement web', 'Jeux vidéo', 'Animation 3D'] },
  { feminine: 'Coach en création d’entreprise', masculine: 'Coach en création d’entreprise', skills: ['Création d’entreprise', 'Conseil', 'Formation'] },
];

/** Whether a demo first name is feminine (Léa, the demo account, is). */
export const isFeminineDemoName = (first: string) => first === 'Léa' || DEMO_FIRST_NAMES.some((p) => p.name === first && p.feminine);

/** A demo trade in the form that agrees with the person. */
export const demoTradeFor = (i: number, first: string) => {
  const trade = DEMO_TRADES[i % DEMO_TRADES.length];
  return isFeminineDemoName(first) ? trade.feminine : trade.masculine;
};

/** The skills shown with a demo trade, whichever its form. */
export const demoSkillsOf = (activity: string | null) => DEMO_TRADES.find((t) => t.feminine === activity || t.masculine === activity)?.skills ?? ['Télétravail'];
