/**
 * Registration pages: what a registration's mail link opens, the account's list of registrations with its calendar
 * feed, and the page a refusal shows ("only 3 seats left"). Pure views.
 */
import { formatDateTime } from '../../../shared/time.js';
import { Button, Form } from '../../../web/components/forms.js';
import { Table } from '../../../web/components/table.js';
import { Layout } from '../../../web/layout.js';
import { usePage } from '../../../web/page-context.js';
import type { UserRegistrationRow } from '../events.common.js';
import { When } from '../events.views.js';
import type { listMyRegistrations, RegistrationPage } from './registrations.service.js';

export function RefusedView({ problem, back }: { problem: { key: string; params?: Record<string, string | number> }; back: string }) {
  const { t } = usePage();
  return (
    <Layout title={t('events.refused.title')} narrow>
      <h1>{t('events.refused.title')}</h1>
      <div class="alert alert-error" role="alert">
        <p>{t(problem.key, problem.params)}</p>
      </div>
      <p>
        <a href={back}>{t('events.refused.back')}</a>
      </p>
    </Layout>
  );
}

export function RegistrationView({ page, action }: { page: RegistrationPage; action: string }) {
  const { t, intl } = usePage();
  const { registration: r, event: e } = page;
  const ended = e.ends_at <= page.now;
  return (
    <Layout title={t('events.link.title', { event: e.title })} narrow>
      <h1>{t('events.link.title', { event: e.title })}</h1>
      <p>
        <a href={`/agenda/${e.slug}`}>{e.title}</a> · <When event={e} />
      </p>
      {e.status === 'cancelled' && (
        <p class="alert alert-error" role="note">
          {t('events.page.cancelled')}
        </p>
      )}
      <p role="status">
        {r.status === 'offered' && !page.offerOpen
          ? t('events.offer.expired')
          : t(`events.link.status.${r.status}`, { seats: r.seats, rank: page.rank ?? 0, until: r.offer_expires_at ? formatDateTime(r.offer_expires_at, intl) : '' })}
      </p>
      {page.showLink && e.online_url && (
        <p>
          <a href={e.online_url} rel="noopener noreferrer">
            {t('events.page.joinOnline')}
          </a>
        </p>
      )}
      {page.checkin && (
        <section aria-labelledby="accueil-titre">
          <h2 id="accueil-titre">{t('events.checkin.qrTitle')}</h2>
          <p>{t('events.checkin.qrLead')}</p>
          {/* The SVG is drawn by the qrcode package from our own URL: no user text inside. */}
          <div class="member-card-qr" role="img" aria-label={t('events.checkin.qrLabel')} dangerouslySetInnerHTML={{ __html: page.checkin.qrSvg }} />
        </section>
      )}
      {!ended && e.status === 'published' && (
        <div class="actions">
          {r.status === 'pending' && (
            <Form action={`${action}/confirmer`} scope="confirmer">
              <Button>{t('events.link.confirm')}</Button>
            </Form>
          )}
          {r.status === 'offered' && page.offerOpen && (
            <Form action={`${action}/accepter`} scope="accepter">
              <Button>{t('events.link.claim', { seats: r.seats })}</Button>
            </Form>
          )}
          {r.status === 'waiting' && r.seats > 1 && (
            <Form action={`${action}/places`} scope="places" class="inline-form">
              <div class="field">
                <label for="places-f-places">{t('events.link.lower')}</label>
                <select id="places-f-places" name="places">
                  {Array.from({ length: r.seats - 1 }, (_, i) => i + 1).map((n) => (
                    <option key={n} value={String(n)}>
                      {n}
                    </option>
                  ))}
                </select>
              </div>
              <Button variant="secondary">{t('events.link.lowerSubmit')}</Button>
            </Form>
          )}
          {['pending', 'confirmed', 'waiting', 'offered'].includes(r.status) && (
            <Form action={`${action}/annuler`} scope="annuler">
              <Button variant="danger">{r.status === 'offered' ? t('events.link.decline') : t('events.link.cancel')}</Button>
            </Form>
          )}
        </div>
      )}
    </Layout>
  );
}

type Mine = Awaited<ReturnType<typeof listMyRegistrations>>;

export function MyRegistrationsView({ data, feedUrl }: { data: Mine; feedUrl?: string }) {
  const { t } = usePage();
  const columns = (cancellable: boolean) => [
    { key: 'event', header: t('events.mine.event'), rowHeader: true, render: (r: UserRegistrationRow) => <a href={`/agenda/${r.slug}`}>{r.title}</a> },
    { key: 'when', header: t('events.field.when'), render: (r: UserRegistrationRow) => <When event={r} /> },
    { key: 'seats', header: t('events.mine.seats'), align: 'end' as const, render: (r: UserRegistrationRow) => r.seats },
    {
      key: 'status',
      header: t('events.mine.status'),
      render: (r: UserRegistrationRow) => (
        <>
          {r.event_status === 'cancelled' ? t('events.status.cancelled') : t(`events.regStatus.${r.status}`)}
          {r.status === 'confirmed' && r.place_kind === 'online' && r.online_url && r.event_status === 'published' && (
            <>
              {' · '}
              <a href={r.online_url} rel="noopener noreferrer">
                {t('events.page.joinOnline')}
              </a>
            </>
          )}
        </>
      ),
    },
    ...(cancellable
      ? [
          {
            key: 'actions',
            header: t('events.mine.actions'),
            render: (r: UserRegistrationRow) =>
              r.event_status === 'published' ? (
                <Form action={`/compte/inscriptions/${r.id}/annuler`} scope={`annuler-${r.id}`}>
                  <Button variant="secondary">{t('events.link.cancel')}</Button>
                </Form>
              ) : null,
          },
        ]
      : []),
  ];
  return (
    <Layout title={t('events.mine.title')}>
      <h1>{t('events.mine.title')}</h1>
      <h2>{t('events.mine.upcoming')}</h2>
      {data.upcoming.length ? (
        <Table caption={t('events.mine.upcoming')} captionHidden columns={columns(true)} rows={data.upcoming} rowKey={(r) => r.id} />
      ) : (
        <p>
          {t('events.mine.none')} <a href="/agenda">{t('events.nav')}</a>
        </p>
      )}
      {data.past.length > 0 && (
        <>
          <h2>{t('events.mine.past')}</h2>
          <Table caption={t('events.mine.past')} captionHidden columns={columns(false)} rows={data.past} rowKey={(r) => r.id} />
        </>
      )}
      <section id="agenda" aria-labelledby="agenda-titre">
        <h2 id="agenda-titre">{t('events.feed.title')}</h2>
        <p>{t('events.feed.lead')}</p>
        {feedUrl && (
          <div class="alert alert-success" role="status">
            <p>{t('events.feed.new')}</p>
            <p>
              <code>{feedUrl}</code>
            </p>
          </div>
        )}
        {data.feedSince && !feedUrl && <p>{t('events.feed.active')}</p>}
        <div class="actions">
          <Form action="/compte/inscriptions/flux" scope="flux">
            <Button variant="secondary">{data.feedSince ? t('events.feed.renew') : t('events.feed.create')}</Button>
          </Form>
          {data.feedSince && (
            <Form action="/compte/inscriptions/flux/supprimer" scope="flux-supprimer">
              <Button variant="danger">{t('events.feed.revoke')}</Button>
            </Form>
          )}
        </div>
      </section>
    </Layout>
  );
}
