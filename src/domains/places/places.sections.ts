/** Sections other domains add to a third place's page (the events domain: the events held there). */
import { extensionPoint } from '../../shared/extensions.js';
import type { PublicSection } from '../../web/page-sections.js';

/** A third place, as the sections added to its page receive it. */
export interface PlaceSectionKey {
  id: number;
  slug: string;
  name: string;
}

export type PlaceSection = PublicSection<PlaceSectionKey, never>;

export const placeSectionsPoint = extensionPoint<PlaceSection>('places.placeSections');
