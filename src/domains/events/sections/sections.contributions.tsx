/** The sections the agenda adds to the home page, the village pages and the third places' pages. */
import type { PlaceSectionKey } from '../../places/index.js';
import type { PublicSection } from '../../../web/page-sections.js';
import { eventsAtPlace, eventsInCommune, nextPublicEvents, type SectionEvents } from './sections.service.js';
import { EventsSection } from './sections.views.js';

/** After the home page's figures. */
export const homeEventsSection: PublicSection<null, SectionEvents> = {
  order: 10,
  load: (ctx) => nextPublicEvents(ctx),
  render: (data) => <EventsSection id="prochains-evenements" data={data} title={{ key: 'events.sections.home.title' }} more={{ href: '/agenda', key: 'events.sections.home.more' }} />,
};

export const communeEventsSection: PublicSection<string, SectionEvents & { insee: string }> = {
  order: 10,
  load: async (ctx, insee) => {
    const data = await eventsInCommune(ctx, insee);
    return data && { ...data, insee };
  },
  render: (data) => <EventsSection id="evenements" data={data} title={{ key: 'events.sections.commune.title' }} more={{ href: `/agenda?commune=${data.insee}`, key: 'events.sections.commune.more' }} />,
};

export const placeEventsSection: PublicSection<PlaceSectionKey, SectionEvents & { place: PlaceSectionKey }> = {
  order: 10,
  load: async (ctx, place) => {
    const data = await eventsAtPlace(ctx, place.id);
    return data && { ...data, place };
  },
  render: (data) => (
    <EventsSection
      id="evenements"
      data={data}
      title={{ key: 'events.sections.place.title', params: { place: data.place.name } }}
      more={{ href: `/agenda?lieu=${data.place.slug}`, key: 'events.sections.place.more' }}
    />
  ),
};
