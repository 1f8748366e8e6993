/** Test helpers for the newcomer journey (imported by tests only): a household's answers, as a form or parsed. */
import type { AppContext } from '../../context.js';
import { anonymous } from '../../context.js';
import { applyToProgramme, type ApplicationInput, type PageSection } from './cases/index.js';

/** The Martin family: two adults (telework and business takeover), two children, Lectoure and Auch in mind. */
export const familyForm = (overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> => ({
  contactName: 'Camille Martin',
  email: 'camille.martin@exemple.fr',
  phone: '06 12 34 56 78',
  currentPlace: 'Lyon, France',
  adult1_firstName: 'Camille',
  adult1_project: 'telework',
  adult1_profession: 'Développeuse web',
  adult1_sector: 'Numérique',
  adult2_firstName: 'Sami',
  adult2_project: 'takeover',
  adult2_profession: 'Boulanger',
  adult2_sector: 'Artisanat',
  child1_age: '8',
  child1_schooling: 'elementaire',
  child2_age: '3',
  child2_schooling: 'maternelle',
  child2_needs: 'Section bilingue occitan si possible',
  targetCodes: '32208, 32013',
  targetText: 'Près d’une gare',
  timing: 'months_6_12',
  needs: ['housing_buy', 'schooling', 'coworking'],
  heardFrom: 'press',
  project: 'Nous voulons quitter la ville pour un village vivant.',
  consentContact: '1',
  consentShare: '1',
  ...overrides,
});

export const familyInput = (overrides: Partial<ApplicationInput> = {}): ApplicationInput => ({
  contactName: 'Camille Martin',
  email: 'camille.martin@exemple.fr',
  phone: '06 12 34 56 78',
  currentPlace: 'Lyon, France',
  adults: [
    { position: 1, firstName: 'Camille', project: 'telework', profession: 'Développeuse web', sector: 'Numérique' },
    { position: 2, firstName: 'Sami', project: 'takeover', profession: 'Boulanger', sector: 'Artisanat' },
  ],
  children: [
    { position: 1, age: 8, schooling: 'elementaire' },
    { position: 2, age: 3, schooling: 'maternelle' },
  ],
  targetCodes: ['32208', '32013'],
  timing: 'months_6_12',
  needs: ['housing_buy', 'schooling'],
  consentContact: true,
  consentShare: false,
  ...overrides,
});

/**
 * A household applies as an anonymous visitor would; returns the new (or reused) case. An address that already has an
 * account is held until its owner confirms (applyToProgramme): this helper is for addresses new to the platform.
 */
export const applyAsVisitor = async (ctx: AppContext, overrides: Partial<ApplicationInput> = {}, locale: 'fr' | 'en' = 'fr') => {
  const result = await applyToProgramme(ctx, anonymous(ctx.territory.id), familyInput(overrides), locale);
  if (result.status !== 'applied') throw new Error(`the application for ${result.email} was held: that address already has an account`);
  return result;
};

/** The data a contributed section loaded for a page (`getCaseFile(...)`, `getMyCase(...)`), to assert on it. */
export function sectionData<D>(page: { sections: readonly { section: PageSection<unknown>; data: unknown }[] }, section: PageSection<D>): D {
  const found = page.sections.find((s) => s.section === (section as PageSection<unknown>));
  if (!found) throw new Error('section not contributed to this page');
  return found.data as D;
}

/**
 * A household applies: as the account that owns the address when there is one (signed in, as a household applying
 * again does), otherwise as an anonymous visitor.
 */
export const applyAsHousehold = async (ctx: AppContext, overrides: Partial<ApplicationInput> = {}, locale: 'fr' | 'en' = 'fr') => {
  const input = familyInput(overrides);
  const owner = await ctx.db.selectFrom('user_account').select('id').where('email', '=', input.email).executeTakeFirst();
  const actor = owner ? { userId: owner.id, territoryId: ctx.territory.id, roles: new Set<string>() } : anonymous(ctx.territory.id);
  const result = await applyToProgramme(ctx, actor as Parameters<typeof applyToProgramme>[1], input, locale);
  if (result.status !== 'applied') throw new Error(`the application for ${result.email} was held`);
  return result;
};
