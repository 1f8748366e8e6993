/**
 * The member's profile form (/compte/profil), the directory (/annuaire) and an entry (/annuaire/:slug) with its
 * contact form, the map of solos (/annuaire/carte) and the team's contact log. Views receive what the visibility
 * rule left: they never decide who sees what.
 */
import type { ComponentChildren } from 'preact';
import { Button, Checkbox, Checkboxes, ErrorSummary, Field, FileField, Form, Select, TextArea, type FieldErrors, type FormValues } from '../../../web/components/forms.js';
import { Pagination } from '../../../web/components/pagination.js';
import { Table, type Column } from '../../../web/components/table.js';
import { Layout } from '../../../web/layout.js';
import { usePage } from '../../../web/page-context.js';
import { formatDateTime, formatDay } from '../../../shared/time.js';
import { CommuneMap, type MapCommune, type MapCounts } from '../../territory/index.js';
import { LANGUAGES, type DirectoryQuery } from './profiles.schemas.js';
import type { DirectoryPage, MyProfile } from './profiles.service.js';
import { AUDIENCES, NEVER_PUBLIC, PROFILE_FIELDS, type VisibleProfile } from './profiles.visibility.js';

// ---------------------------------------------------------------------------------------------- my profile

/** The form's values from the stored profile (first visit: the application's values and the defaults). */
export function profileFormValues(p: MyProfile): FormValues {
  const r = p.record;
  const v: FormValues = {
    displayName: r.name,
    activity: r.activity ?? '',
    sector: r.sector ?? '',
    skills: r.skills.join(', '),
    bio: r.bio ?? '',
    insee: r.commune?.insee ?? '',
    website: r.website ?? '',
    languages: r.languages,
    phone: r.phone ?? '',
    openToBusiness: r.openToBusiness ? '1' : undefined,
    buddyOpen: r.buddyOpen ? '1' : undefined,
    contactOpen: r.contactOpen ? '1' : undefined,
    publicShowcase: r.publicShowcase ? '1' : undefined,
  };
  for (const f of PROFILE_FIELDS) v[`vis_${f}`] = (r.visibility as Record<string, string>)[f];
  return v;
}

export function ProfileView({ data, values, errors }: { data: MyProfile | null; values?: FormValues; errors?: FieldErrors }) {
  const { t } = usePage();
  if (!data) {
    return (
      <Layout title={t('members.profile.title')} narrow>
        <h1>{t('members.profile.title')}</h1>
        <p>{t('members.profile.notMember')}</p>
        <p>
          <a href="/adherer">{t('members.nav.join')}</a>
        </p>
      </Layout>
    );
  }
  const v = values ?? profileFormValues(data);
  // The photo has its own form: its error is shown there, the profile form's errors in the profile form.
  const { photo: photoError, ...formErrors } = errors ?? {};
  const audienceOptions = (field: string) =>
    AUDIENCES.filter((a) => !(NEVER_PUBLIC as ReadonlySet<string>).has(field) || a !== 'public').map((a) => ({ value: a, label: t(`members.profile.audience.${a}`) }));
  return (
    <Layout title={t('members.profile.title')} narrow>
      <h1>{t('members.profile.title')}</h1>
      <p class="lead">{t('members.profile.lead')}</p>
      {!data.record.active && <p class="notice">{t('members.profile.notListed')}</p>}
      <p>
        {data.asMembers && (
          <a href={`/annuaire/${data.record.slug}`}>{t('members.profile.seeEntry')}</a>
        )}
      </p>
      <PhotoSection photo={data.photo} name={data.record.name} maxBytes={data.photoMaxBytes} error={photoError} />
      <Form action="/compte/profil">
        <ErrorSummary errors={formErrors} />
        <h2>{t('members.profile.about')}</h2>
        <Field name="displayName" label={t('members.profile.displayName')} values={v} errors={formErrors} required maxLength={80} autocomplete="name" />
        <Field name="activity" label={t('members.profile.activity')} hint={t('members.join.activityHint')} values={v} errors={formErrors} required maxLength={200} />
        <Field name="sector" label={t('members.profile.sector')} values={v} errors={formErrors} maxLength={120} />
        <SkillsField values={v} errors={formErrors} suggestions={data.skillSuggestions} />
        <TextArea name="bio" label={t('members.profile.bio')} hint={t('members.profile.bioHint')} values={v} errors={formErrors} maxLength={1500} rows={5} />
        <Select name="insee" label={t('members.profile.commune')} values={v} errors={formErrors} required options={[{ value: '', label: t('members.form.choose') }, ...data.communes.map((c) => ({ value: c.insee, label: c.name }))]} />
        <Field name="website" type="url" label={t('members.profile.website')} hint={t('members.profile.websiteHint')} values={v} errors={formErrors} maxLength={300} autocomplete="url" />
        <Checkboxes name="languages" legend={t('members.profile.languages')} options={LANGUAGES.map((l) => ({ value: l, label: t(`members.language.${l}`) }))} values={v} errors={formErrors} />
        <Field name="phone" type="tel" label={t('members.join.phone')} values={v} errors={formErrors} maxLength={30} autocomplete="tel" />

        <h2>{t('members.profile.openings')}</h2>
        <Checkbox name="openToBusiness" label={t('members.profile.openToBusiness')} values={v} errors={formErrors} />
        <Checkbox name="buddyOpen" label={t('members.profile.buddyOpen')} values={v} errors={formErrors} />
        <p class="hint">{t('members.profile.buddyHint')}</p>
        <Checkbox name="contactOpen" label={t('members.profile.contactOpen')} values={v} errors={formErrors} />

        <h2>{t('members.profile.visibility')}</h2>
        <p class="hint">{t('members.profile.visibilityLead')}</p>
        <Checkbox name="publicShowcase" label={t('members.profile.publicShowcase')} values={v} errors={formErrors} />
        {PROFILE_FIELDS.map((f) => (
          <Select key={f} name={`vis_${f}`} label={t('members.profile.whoSees', { field: t(`members.profile.field.${f}`) })} values={v} errors={formErrors} options={audienceOptions(f)} />
        ))}
        <Button>{t('members.profile.save')}</Button>
      </Form>
    </Layout>
  );
}

/** The member's photo: shown as members see it, replaced by an upload (multipart, no script needed) or removed. */
function PhotoSection({ photo, name, maxBytes, error }: { photo: { large: string } | null; name: string; maxBytes: number; error?: string }) {
  const { t } = usePage();
  const errors: FieldErrors = error ? { photo: error } : {};
  return (
    <section id="photo" aria-labelledby="photo-title">
      <h2 id="photo-title">{t('members.photo.title')}</h2>
      {photo ? <MemberPhoto src={photo} name={name} side={160} /> : <p>{t('members.photo.none')}</p>}
      <Form action="/compte/profil/photo" enctype="multipart/form-data" scope="photo">
        <ErrorSummary errors={errors} />
        <FileField name="photo" label={t('members.photo.file')} hint={t('members.photo.hint', { max: Math.floor(maxBytes / (1024 * 1024)) })} accept="image/jpeg,image/png,image/webp,.jpg,.jpeg,.png,.webp" errors={errors} required />
        <Button variant="secondary">{t(photo ? 'members.photo.replace' : 'members.photo.upload')}</Button>
      </Form>
      {photo && (
        <Form action="/compte/profil/photo/supprimer" scope="photo-remove">
          <Button variant="danger">{t('members.photo.remove')}</Button>
        </Form>
      )}
    </section>
  );
}

/** A member's photo with its text alternative; lazy, with its size given so the page does not jump. */
function MemberPhoto({ src, name, side, small }: { src: { large: string; small?: string }; name?: string; side: number; small?: boolean }) {
  const { t } = usePage();
  return (
    <img
      class="member-photo"
      src={small && src.small ? src.small : src.large}
      alt={name ? t('members.photo.alt', { name }) : t('members.photo.altUnnamed')}
      width={side}
      height={side}
      loading="lazy"
      decoding="async"
    />
  );
}

/** Skills as one text field with suggestions from the skills in use (a datalist: no script needed). */
function SkillsField({ values, errors, suggestions }: { values: FormValues; errors?: FieldErrors; suggestions: string[] }) {
  const { t } = usePage();
  const error = errors?.skills;
  const value = values.skills;
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for="f-skills">{t('members.profile.skills')}</label>
      <p class="hint" id="h-skills">
        {t('members.profile.skillsHint')}
      </p>
      {error && (
        <p class="error-message" id="e-skills">
          {t(error)}
        </p>
      )}
      <input id="f-skills" name="skills" type="text" list="skill-suggestions" value={Array.isArray(value) ? value.join(', ') : value} maxLength={1200} aria-invalid={error ? 'true' : undefined} aria-describedby={error ? 'h-skills e-skills' : 'h-skills'} />
      <datalist id="skill-suggestions">
        {suggestions.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------- the directory

function EntryCard({ e }: { e: VisibleProfile }) {
  const { t } = usePage();
  return (
    <li class="card directory-entry">
      {e.photo && <MemberPhoto src={e.photo} name={e.name} side={96} small />}
      <h2 class="card-heading">
        <a href={`/annuaire/${e.slug}`}>{e.name ?? t('members.directory.unnamed')}</a>
      </h2>
      {e.activity && <p>{e.activity}</p>}
      {e.commune && <p class="small">{e.commune.name}</p>}
      {e.skills && <SkillList skills={e.skills} />}
      {e.buddyOpen && <p class="small">{t('members.directory.buddy')}</p>}
    </li>
  );
}

function SkillList({ skills }: { skills: string[] }) {
  const { t } = usePage();
  return (
    <ul class="tags" aria-label={t('members.profile.skills')}>
      {skills.map((s) => (
        <li class="tag" key={s}>
          {s}
        </li>
      ))}
    </ul>
  );
}

export function DirectoryView({ data, query }: { data: DirectoryPage; query: DirectoryQuery }) {
  const { t } = usePage();
  const isPublic = data.viewer === 'public';
  const title = isPublic ? t('members.directory.showcaseTitle') : t('members.directory.title');
  const base = { q: query.q, competence: query.competence, commune: query.commune, epci: query.epci, langue: query.langue, parrain: query.parrain ? '1' : undefined };
  const v: FormValues = { ...base };
  return (
    <Layout title={title} description={t('members.directory.lead')}>
      <h1>{title}</h1>
      <p class="lead">{isPublic ? t('members.directory.showcaseLead') : t('members.directory.lead')}</p>
      <p>
        <a href="/annuaire/carte">{t('members.map.title')}</a>
      </p>
      <Form action="/annuaire" method="get" class="filters">
        <Field name="q" type="search" label={t('members.directory.search')} hint={t('members.directory.searchHint')} values={v} maxLength={120} />
        {isPublic ? (
          <Field name="competence" label={t('members.directory.skill')} values={v} maxLength={60} />
        ) : (
          <Select name="competence" label={t('members.directory.skill')} values={v} options={[{ value: '', label: t('members.directory.any') }, ...data.skills.map((s) => ({ value: s, label: s }))]} />
        )}
        <Select name="commune" label={t('members.profile.commune')} values={v} options={[{ value: '', label: t('members.directory.any') }, ...data.communes.map((c) => ({ value: c.insee, label: c.name }))]} />
        <Select name="epci" label={t('members.directory.epci')} values={v} options={[{ value: '', label: t('members.directory.any') }, ...data.epcis.map((e) => ({ value: e.siren, label: e.name }))]} />
        <Select name="langue" label={t('members.profile.languages')} values={v} options={[{ value: '', label: t('members.directory.any') }, ...LANGUAGES.map((l) => ({ value: l, label: t(`members.language.${l}`) }))]} />
        <Checkbox name="parrain" label={t('members.directory.buddyOnly')} values={{ parrain: query.parrain ? '1' : undefined }} />
        <Button>{t('members.directory.submit')}</Button>
      </Form>
      <p role="status">{t(data.total === 1 ? 'members.directory.count.one' : 'members.directory.count', { count: data.total })}</p>
      {data.items.length > 0 && (
        <ul class="cards">
          {data.items.map((e) => (
            <EntryCard key={e.slug} e={e} />
          ))}
        </ul>
      )}
      <Pagination page={data.page} pages={data.pages} baseQuery={base} />
    </Layout>
  );
}

function Row({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

export function EntryView({ entry, canContact, signedIn, values, errors }: { entry: VisibleProfile; canContact: boolean; signedIn: boolean; values?: FormValues; errors?: FieldErrors }) {
  const { t } = usePage();
  const name = entry.name ?? t('members.directory.unnamed');
  return (
    <Layout title={name} narrow>
      <p>
        <a href="/annuaire">{t('members.directory.back')}</a>
      </p>
      <article class="directory-entry">
        {entry.photo && <MemberPhoto src={entry.photo} name={entry.name} side={200} />}
        <h1>{name}</h1>
        {entry.activity && <p class="lead">{entry.activity}</p>}
        <dl>
          {entry.sector && <Row label={t('members.profile.sector')}>{entry.sector}</Row>}
          {entry.commune && (
            <Row label={t('members.profile.commune')}>
              <a href={`/villages/${entry.commune.insee}`}>{entry.commune.name}</a>
            </Row>
          )}
          {entry.languages && <Row label={t('members.profile.languages')}>{entry.languages.map((l) => t(`members.language.${l}`)).join(', ')}</Row>}
          {entry.website && (
            <Row label={t('members.profile.website')}>
              <a href={entry.website} rel="nofollow noopener ugc">
                {entry.website}
              </a>
            </Row>
          )}
          {entry.email && <Row label={t('members.profile.field.email')}>{entry.email}</Row>}
          {entry.phone && <Row label={t('members.profile.field.phone')}>{entry.phone}</Row>}
        </dl>
        {entry.skills && (
          <>
            <h2>{t('members.profile.skills')}</h2>
            <SkillList skills={entry.skills} />
          </>
        )}
        {entry.bio && (
          <>
            <h2>{t('members.profile.bio')}</h2>
            {entry.bio.split(/\n{2,}/).map((para, i) => (
              <p key={i}>{para}</p>
            ))}
          </>
        )}
        {(entry.openToBusiness || entry.buddyOpen) && (
          <ul>
            {entry.openToBusiness && <li>{t('members.directory.business')}</li>}
            {entry.buddyOpen && <li>{t('members.directory.buddy')}</li>}
          </ul>
        )}
      </article>
      {entry.contactOpen && (
        <section aria-labelledby="contact">
          <h2 id="contact">{t('members.contact.title')}</h2>
          {canContact ? (
            <Form action={`/annuaire/${entry.slug}/contact`}>
              <ErrorSummary errors={errors ?? {}} />
              <p class="hint">{t('members.contact.lead')}</p>
              <Field name="subject" label={t('members.contact.subject')} values={values} errors={errors} required maxLength={120} />
              <TextArea name="message" label={t('members.contact.message')} values={values} errors={errors} required maxLength={3000} rows={6} />
              <Button>{t('members.contact.send')}</Button>
            </Form>
          ) : (
            !signedIn && (
              <p>
                <a href={`/connexion?retour=${encodeURIComponent(`/annuaire/${entry.slug}`)}`}>{t('members.contact.signIn')}</a>
              </p>
            )
          )}
        </section>
      )}
    </Layout>
  );
}

// ---------------------------------------------------------------------------------------------- the map of solos

export function SolosMapView({ territory, communes, counts, total, day, isPublic }: { territory: string; communes: MapCommune[]; counts: Record<string, number>; total: number; day: string; isPublic: boolean }) {
  const { t, intl } = usePage();
  const mapCounts: MapCounts = {
    key: isPublic ? 'solos-public' : 'solos-members',
    values: counts,
    legendTitle: t('members.map.legend'),
    columnTitle: t('members.map.column'),
    describe: (n) => t(n === 1 ? 'members.map.value.one' : 'members.map.value', { count: n }),
    classLabel: (from, to) => (from === 0 ? t('members.map.class.none') : to === null ? t('members.map.class.open', { from }) : from === to ? t('members.map.value', { count: from }) : t('members.map.class.range', { from, to })),
  };
  return (
    <Layout title={t('members.map.title')}>
      <h1>{t('members.map.title')}</h1>
      <p class="lead">{t(isPublic ? 'members.map.leadPublic' : 'members.map.leadMembers', { count: total })}</p>
      <p class="small">{t(isPublic ? 'members.map.sourcePublic' : 'members.map.sourceMembers', { date: formatDay(day, intl) })}</p>
      <CommuneMap territory={territory} figure="prix" communes={communes} counts={mapCounts} title={t('members.map.title')} />
      <p>
        <a href="/annuaire">{t('members.directory.back')}</a>
      </p>
    </Layout>
  );
}

// ---------------------------------------------------------------------------------------------- contact log (team)

type ContactLogRow = { id: number; sent_at: Date; subject: string | null; message: string | null; sender_email: string | null; sender_name: string | null; erased_at: Date | null; recipient_member_id: string | null; first_name: string | null; last_name: string | null };

export function ContactLogView({ rows }: { rows: ContactLogRow[] }) {
  const { t, intl } = usePage();
  const columns: Column<ContactLogRow>[] = [
    { key: 'when', header: t('members.contactLog.when'), rowHeader: true, render: (r) => formatDateTime(r.sent_at, intl) },
    { key: 'from', header: t('members.contactLog.from'), render: (r) => (r.erased_at ? t('members.contactLog.erased') : `${r.sender_name ?? ''} <${r.sender_email ?? ''}>`) },
    {
      key: 'to',
      header: t('members.contactLog.to'),
      render: (r) => (r.recipient_member_id ? <a href={`/admin/adherents/${r.recipient_member_id}`}>{`${r.first_name} ${r.last_name}`}</a> : t('members.contactLog.erased')),
    },
    { key: 'subject', header: t('members.contact.subject'), render: (r) => r.subject ?? '—' },
    { key: 'message', header: t('members.contact.message'), render: (r) => r.message ?? '—' },
  ];
  return (
    <Layout title={t('members.contactLog.title')}>
      <h1>{t('members.contactLog.title')}</h1>
      <p class="lead">{t('members.contactLog.lead')}</p>
      <Table caption={t('members.contactLog.caption')} captionId="journal" wrap="region" columns={columns} rows={rows} rowKey={(r) => r.id} empty={t('members.contactLog.none')} />
    </Layout>
  );
}
