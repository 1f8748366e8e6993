/** The member card (screen and A4 print) and the public verification answer. */
import { formatDay } from '../../../shared/time.js';
import { Layout } from '../../../web/layout.js';
import { usePage } from '../../../web/page-context.js';
import type { MemberStatus } from '../members.common.js';
import { MemberNumber, StatusBadge } from '../members.components.views.js';
import type { MemberRow } from '../members.service.js';

export function CardView({ card }: { card: { member: MemberRow; status: MemberStatus; url: string; qrSvg: string } | null }) {
  const { t, intl, programmeName } = usePage();
  if (!card)
    return (
      <Layout title={t('members.card.title')} narrow>
        <h1>{t('members.card.title')}</h1>
        <p>
          {t('members.my.none')} <a href="/adherer">{t('members.join.title')}</a>
        </p>
      </Layout>
    );
  const { member, status } = card;
  return (
    <Layout title={t('members.card.title')} narrow>
      <h1 class="no-print">{t('members.card.title')}</h1>
      <section class="member-card" aria-labelledby="carte-nom">
        <p class="member-card-issuer">{programmeName}</p>
        <p class="member-card-kind">{t('members.card.kind')}</p>
        <h2 id="carte-nom" class="member-card-name">
          {member.first_name} {member.last_name}
        </h2>
        <dl class="member-card-facts">
          <div>
            <dt>{t('members.card.number')}</dt>
            <dd>
              <MemberNumber n={member.number} />
            </dd>
          </div>
          <div>
            <dt>{t('members.card.plan')}</dt>
            <dd>{member.plan_name}</dd>
          </div>
          <div>
            <dt>{t('members.card.validity')}</dt>
            <dd>{member.valid_until ? t('members.card.validUntil', { date: formatDay(member.valid_until, intl) }) : t('members.card.noValidity')}</dd>
          </div>
          <div>
            <dt>{t('members.card.status')}</dt>
            <dd>
              <StatusBadge status={status} />
            </dd>
          </div>
        </dl>
        {/* The SVG is drawn by the qrcode package from our own URL: no user text inside. */}
        <div class="member-card-qr" role="img" aria-label={t('members.card.qrLabel')} dangerouslySetInnerHTML={{ __html: card.qrSvg }} />
        <p class="member-card-url small">{card.url}</p>
      </section>
      <p class="no-print">{t('members.card.printHint')}</p>
      <p class="no-print">
        <a href="/compte/adhesion">{t('members.nav.mine')}</a>
      </p>
    </Layout>
  );
}

export function VerifyView({ validUntil }: { validUntil: string | null }) {
  const { t, intl } = usePage();
  return (
    <Layout title={t('members.verify.title')} narrow>
      <h1>{t('members.verify.title')}</h1>
      <p class={validUntil ? 'verify-result verify-valid' : 'verify-result verify-invalid'} role="status">
        <strong>{validUntil ? t('members.verify.valid', { date: formatDay(validUntil, intl) }) : t('members.verify.invalid')}</strong>
      </p>
    </Layout>
  );
}
