/** A short list of events for another domain's page, with a link to the matching agenda. Pure. */
import { usePage } from '../../../web/page-context.js';
import { AudienceTag, TypeTag, When, Where } from '../events.views.js';
import type { SectionEvents } from './sections.service.js';

interface Text {
  key: string;
  params?: Record<string, string>;
}

export function EventsSection({ id, title, data, more }: { id: string; title: Text; data: SectionEvents; more: { href: string } & Text }) {
  const { t } = usePage();
  return (
    <section aria-labelledby={id} class="events-section">
      <h2 id={id}>{t(title.key, title.params)}</h2>
      <ul class="cards two">
        {data.events.map((e) => (
          <li key={e.id} class="card">
            <h3 class="card-title">
              <a href={`/agenda/${e.slug}`}>{e.title}</a>
            </h3>
            <p>
              <TypeTag event={e} /> <AudienceTag audience={e.audience} />
            </p>
            <p>
              <When event={e} />
            </p>
            <p>
              <Where event={e} places={data.places} />
            </p>
          </li>
        ))}
      </ul>
      <p>
        <a href={more.href}>{t(more.key)}</a> · <a href="/agenda.ics">{t('events.agenda.feed')}</a>
      </p>
    </section>
  );
}
