import type { Role } from '../../db/schema.js';
import { AdminShell } from '../../web/components/admin-shell.js';
import { Button, Checkboxes, ErrorSummary, Field, Form, Select, type FieldErrors, type FormValues } from '../../web/components/forms.js';
import { Pagination } from '../../web/components/pagination.js';
import { Table } from '../../web/components/table.js';
import { Layout } from '../../web/layout.js';
import { usePage } from '../../web/page-context.js';
import { formatDate } from '../../shared/time.js';
import { ALL_ROLES, INVITABLE_ROLES } from './accounts.policy.js';

interface FormProps {
  values?: FormValues;
  errors?: FieldErrors;
}

const localeOptions = [
  { value: 'fr', label: 'Français' },
  { value: 'en', label: 'English' },
];

export function SignUpView({ values = {}, errors = {} }: FormProps) {
  const { t } = usePage();
  return (
    <Layout title={t('accounts.signup.title')} narrow>
      <h1>{t('accounts.signup.title')}</h1>
      <p class="lead">{t('accounts.signup.lead')}</p>
      <ErrorSummary errors={errors} />
      <Form action="/inscription">
        <Field name="displayName" label={t('accounts.signup.displayName')} values={values} errors={errors} required autocomplete="name" maxLength={120} />
        <Field name="email" type="email" label={t('accounts.signup.email')} values={values} errors={errors} required autocomplete="email" />
        <Field name="password" type="password" label={t('accounts.signup.password')} hint={t('accounts.signup.passwordHint')} values={values} errors={errors} required autocomplete="new-password" />
        <Select name="locale" label={t('accounts.signup.locale')} values={{ locale: 'fr', ...values }} errors={errors} options={localeOptions} />
        <Button>{t('accounts.signup.submit')}</Button>
      </Form>
      <p>
        {t('accounts.signup.haveAccount')} <a href="/connexion">{t('site.nav.login')}</a>
      </p>
    </Layout>
  );
}

export function SignUpSentView({ email }: { email: string }) {
  const { t } = usePage();
  return (
    <Layout title={t('accounts.signup.sent.title')} narrow>
      <h1>{t('accounts.signup.sent.title')}</h1>
      <p class="lead">{t('accounts.signup.sent.text', { email })}</p>
      <ResendForm email={email} />
    </Layout>
  );
}

function ResendForm({ email }: { email?: string }) {
  const { t } = usePage();
  return (
    <Form action="/inscription/renvoyer" class="stacked">
      <Field name="email" type="email" label={t('accounts.login.email')} values={{ email }} autocomplete="email" />
      <Button variant="secondary">{t('accounts.signup.resend')}</Button>
    </Form>
  );
}

export function VerifyResultView({ ok, message }: { ok: boolean; message: string }) {
  const { t } = usePage();
  return (
    <Layout title={t('accounts.verify.title')} narrow>
      <h1>{t('accounts.verify.title')}</h1>
      <p class={ok ? 'alert alert-success' : 'alert alert-error'} role={ok ? 'status' : 'alert'}>
        {t(message)}
      </p>
      {ok ? (
        <p>
          <a class="button button-primary" href="/connexion">
            {t('site.nav.login')}
          </a>
        </p>
      ) : (
        <ResendForm />
      )}
    </Layout>
  );
}

export function LoginView({ values = {}, errors = {}, back }: FormProps & { back?: string }) {
  const { t } = usePage();
  return (
    <Layout title={t('accounts.login.title')} narrow>
      <h1>{t('accounts.login.title')}</h1>
      <ErrorSummary errors={errors} />
      {errors._form === 'accounts.login.unverified' && <ResendForm email={typeof values.email === 'string' ? values.email : undefined} />}
      <Form action={back ? `/connexion?retour=${encodeURIComponent(back)}` : '/connexion'}>
        <Field name="email" type="email" label={t('accounts.login.email')} values={values} errors={errors} required autocomplete="username" />
        <Field name="password" type="password" label={t('accounts.login.password')} values={values} errors={errors} required autocomplete="current-password" />
        <Button>{t('accounts.login.submit')}</Button>
      </Form>
      <p>
        <a href="/mot-de-passe-oublie">{t('accounts.login.forgot')}</a>
      </p>
      <p>
        {t('accounts.login.noAccount')} <a href="/inscription">{t('site.nav.signup')}</a>
      </p>
    </Layout>
  );
}

export function ForgotView({ values = {}, errors = {}, sent }: FormProps & { sent?: boolean }) {
  const { t } = usePage();
  return (
    <Layout title={t('accounts.reset.title')} narrow>
      <h1>{t('accounts.reset.title')}</h1>
      {sent ? (
        <p class="alert alert-success" role="status">
          {t('accounts.reset.sent')}
        </p>
      ) : (
        <>
          <p class="lead">{t('accounts.reset.lead')}</p>
          <ErrorSummary errors={errors} />
          <Form action="/mot-de-passe-oublie">
            <Field name="email" type="email" label={t('accounts.login.email')} values={values} errors={errors} required autocomplete="email" />
            <Button>{t('accounts.reset.submit')}</Button>
          </Form>
        </>
      )}
    </Layout>
  );
}

export function ResetView({ token, errors = {}, invalid }: FormProps & { token: string; invalid?: string }) {
  const { t } = usePage();
  return (
    <Layout title={t('accounts.reset.newTitle')} narrow>
      <h1>{t('accounts.reset.newTitle')}</h1>
      {invalid ? (
        <>
          <p class="alert alert-error" role="alert">
            {t(invalid)}
          </p>
          <p>
            <a href="/mot-de-passe-oublie">{t('accounts.reset.title')}</a>
          </p>
        </>
      ) : (
        <>
          <ErrorSummary errors={errors} />
          <Form action="/mot-de-passe-oublie/nouveau">
            <input type="hidden" name="token" value={token} />
            <Field name="password" type="password" label={t('accounts.reset.newPassword')} hint={t('accounts.signup.passwordHint')} errors={errors} required autocomplete="new-password" />
            <Button>{t('accounts.reset.newSubmit')}</Button>
          </Form>
        </>
      )}
    </Layout>
  );
}

/** Activating an account opened by an application: choose its password (the link proves the address). */
export function ActivateView({ token, back, errors = {}, invalid }: FormProps & { token: string; back: string; invalid?: string }) {
  const { t } = usePage();
  return (
    <Layout title={t('accounts.activate.title')} narrow>
      <h1>{t('accounts.activate.title')}</h1>
      {invalid ? (
        <>
          <p class="alert alert-error" role="alert">
            {t(invalid)}
          </p>
          <p>
            <a href="/connexion">{t('site.nav.login')}</a> · <a href="/mot-de-passe-oublie">{t('accounts.reset.title')}</a>
          </p>
        </>
      ) : (
        <>
          <p class="lead">{t('accounts.activate.lead')}</p>
          <Form action={back ? `/compte/activer?retour=${encodeURIComponent(back)}` : '/compte/activer'}>
            <ErrorSummary errors={errors} />
            <input type="hidden" name="token" value={token} />
            <Field name="password" type="password" label={t('accounts.activate.password')} hint={t('accounts.signup.passwordHint')} errors={errors} required autocomplete="new-password" />
            <Button>{t('accounts.activate.submit')}</Button>
          </Form>
        </>
      )}
    </Layout>
  );
}

export interface AccountData {
  email: string;
  displayName: string;
  locale: string;
  roles: Role[];
  sessions: number;
}

export function AccountView({ account, profile = {}, password = {} }: { account: AccountData; profile?: FormProps; password?: FormProps }) {
  const { t } = usePage();
  const profileValues = { displayName: account.displayName, locale: account.locale, ...profile.values };
  return (
    <Layout title={t('accounts.account.title')} narrow>
      <h1>{t('accounts.account.title')}</h1>
      <p>{account.email}</p>
      <section aria-labelledby="roles">
        <h2 id="roles">{t('accounts.account.roles')}</h2>
        {account.roles.length ? (
          <ul class="tags">
            {account.roles.map((r) => (
              <li key={r} class="tag">
                {t(`roles.${r}`)}
              </li>
            ))}
          </ul>
        ) : (
          <p>{t('accounts.account.noRole')}</p>
        )}
      </section>
      <section aria-labelledby="profile">
        <h2 id="profile">{t('accounts.account.profile')}</h2>
        <ErrorSummary errors={profile.errors ?? {}} />
        <Form action="/compte">
          <Field name="displayName" label={t('accounts.signup.displayName')} values={profileValues} errors={profile.errors} required autocomplete="name" />
          <Select name="locale" label={t('accounts.signup.locale')} values={profileValues} errors={profile.errors} options={localeOptions} />
          <Button>{t('accounts.account.save')}</Button>
        </Form>
      </section>
      <section aria-labelledby="security">
        <h2 id="security">{t('accounts.account.security')}</h2>
        <h3>{t('accounts.account.changePassword')}</h3>
        <ErrorSummary errors={password.errors ?? {}} />
        <Form action="/compte/mot-de-passe">
          <Field name="currentPassword" type="password" label={t('accounts.account.currentPassword')} errors={password.errors} required autocomplete="current-password" />
          <Field name="password" type="password" label={t('accounts.reset.newPassword')} hint={t('accounts.signup.passwordHint')} errors={password.errors} required autocomplete="new-password" />
          <Button variant="secondary">{t('accounts.account.changePassword')}</Button>
        </Form>
        <p>{t('accounts.account.sessions', { count: account.sessions })}</p>
        <Form action="/compte/deconnexion-partout">
          <Button variant="danger">{t('accounts.account.logoutEverywhere')}</Button>
        </Form>
      </section>
    </Layout>
  );
}

export function InvitationView({
  token,
  invitation,
  error,
  errors = {},
  values = {},
}: FormProps & { token: string; invitation?: { email: string; roles: Role[]; hasAccount: boolean }; error?: string }) {
  const { t, user } = usePage();
  return (
    <Layout title={t('accounts.invite.title')} narrow>
      <h1>{t('accounts.invite.title')}</h1>
      {error && (
        <p class="alert alert-error" role="alert">
          {t(error)}
        </p>
      )}
      {invitation && (
        <>
          <p class="lead">{t('accounts.invite.lead', { roles: invitation.roles.map((r) => t(`roles.${r}`)).join(', ') })}</p>
          <ErrorSummary errors={errors} />
          {invitation.hasAccount ? (
            user ? (
              <Form action="/invitation">
                <input type="hidden" name="token" value={token} />
                <Button>{t('accounts.invite.accept')}</Button>
              </Form>
            ) : (
              <>
                <p>{t('accounts.invite.loginFirst')}</p>
                <p>
                  <a class="button button-primary" href={`/connexion?retour=${encodeURIComponent(`/invitation?jeton=${token}`)}`}>
                    {t('site.nav.login')}
                  </a>
                </p>
              </>
            )
          ) : (
            <Form action="/invitation">
              <p>{t('accounts.invite.createAccount', { email: invitation.email })}</p>
              <input type="hidden" name="token" value={token} />
              <Field name="displayName" label={t('accounts.signup.displayName')} values={values} errors={errors} required autocomplete="name" />
              <Field name="password" type="password" label={t('accounts.signup.password')} hint={t('accounts.signup.passwordHint')} errors={errors} required autocomplete="new-password" />
              <Button>{t('accounts.invite.accept')}</Button>
            </Form>
          )}
        </>
      )}
    </Layout>
  );
}

interface UserRow {
  id: string;
  email: string;
  display_name: string;
  email_verified_at: Date | null;
  roles: Role[];
}

interface InvitationRow {
  id: string;
  email: string;
  roles: Role[];
  created_at: Date;
  expires_at: Date;
  accepted_at: Date | null;
}

export function UsersAdminView({
  rows,
  total,
  page,
  pages,
  invitations,
  filter,
  invite = {},
  now,
}: {
  rows: UserRow[];
  total: number;
  page: number;
  pages: number;
  invitations: InvitationRow[];
  filter: { q?: string; role?: string };
  invite?: FormProps;
  now: Date;
}) {
  const { t, intl } = usePage();
  const roleOptions = ALL_ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }));
  return (
    <AdminShell title={t('accounts.admin.users')}>
      <h1>{t('accounts.admin.users')}</h1>
      <section aria-labelledby="invite" class="card">
        <h2 id="invite">{t('accounts.admin.invite')}</h2>
        <p>{t('accounts.admin.inviteLead')}</p>
        <ErrorSummary errors={invite.errors ?? {}} />
        <Form action="/admin/utilisateurs/inviter">
          <Field name="email" type="email" label={t('accounts.admin.inviteEmail')} values={invite.values} errors={invite.errors} required />
          <Checkboxes name="roles" legend={t('accounts.admin.inviteRoles')} options={INVITABLE_ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} values={invite.values} errors={invite.errors} />
          <Button>{t('accounts.admin.inviteSubmit')}</Button>
        </Form>
      </section>
      <form method="get" action="/admin/utilisateurs" class="filters">
        <div class="field">
          <label for="f-q">{t('accounts.admin.search')}</label>
          <input id="f-q" name="q" value={filter.q ?? ''} />
        </div>
        <div class="field">
          <label for="f-role">{t('accounts.admin.roleFilter')}</label>
          <select id="f-role" name="role">
            <option value="">{t('accounts.admin.allRoles')}</option>
            {roleOptions.map((o) => (
              <option key={o.value} value={o.value} selected={filter.role === o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="button button-secondary">
          {t('accounts.admin.filter')}
        </button>
      </form>
      <p>{t('accounts.admin.count', { count: total })}</p>
      <Table
        rows={rows}
        rowKey={(u) => u.id}
        columns={[
          { key: 'name', header: t('accounts.admin.col.name'), render: (u) => u.display_name },
          { key: 'email', header: t('accounts.admin.col.email'), render: (u) => u.email },
          { key: 'roles', header: t('accounts.admin.col.roles'), render: (u) => u.roles.map((r) => t(`roles.${r}`)).join(', ') || '—' },
          { key: 'status', header: t('accounts.admin.col.status'), render: (u) => (u.email_verified_at ? t('accounts.admin.verified') : t('accounts.admin.unverified')) },
          {
            key: 'manage',
            header: <span class="visually-hidden">{t('accounts.admin.manage')}</span>,
            render: (u) => (
              <a href={`/admin/utilisateurs/${u.id}`} aria-label={`${t('accounts.admin.manage')} ${u.display_name}`}>
                {t('accounts.admin.manage')}
              </a>
            ),
          },
        ]}
      />
      <Pagination page={page} pages={pages} baseQuery={{ q: filter.q, role: filter.role }} />
      {invitations.length > 0 && (
        <section aria-labelledby="invitations">
          <h2 id="invitations">{t('accounts.admin.invitations')}</h2>
          <ul>
            {invitations.map((i) => (
              <li key={i.id}>
                {i.email} · {i.roles.map((r) => t(`roles.${r}`)).join(', ')} · {formatDate(i.created_at, intl)} ·{' '}
                {i.accepted_at ? t('accounts.admin.acceptedOn') : i.expires_at <= now ? t('accounts.admin.expired') : t('accounts.admin.pending')}
              </li>
            ))}
          </ul>
        </section>
      )}
    </AdminShell>
  );
}

export function UserRolesView({ user, errors = {} }: { user: { id: string; email: string; displayName: string; roles: Role[] }; errors?: FieldErrors }) {
  const { t } = usePage();
  return (
    <AdminShell title={t('accounts.admin.editRoles', { name: user.displayName })}>
      <h1>{t('accounts.admin.editRoles', { name: user.displayName })}</h1>
      <p>{user.email}</p>
      <ErrorSummary errors={errors} />
      <Form action={`/admin/utilisateurs/${user.id}/roles`}>
        <Checkboxes name="roles" legend={t('accounts.admin.inviteRoles')} options={ALL_ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} values={{ roles: user.roles }} errors={errors} />
        <Button>{t('accounts.admin.saveRoles')}</Button>
      </Form>
      <p>
        <a href="/admin/utilisateurs">{t('accounts.admin.users')}</a>
      </p>
    </AdminShell>
  );
}
