/**
 * The one error handler (house rule 7). AppErrors become their status with a French (or English) page, or
 * `application/problem+json` under /api. Anything unexpected is logged with the request id and shown as a
 * plain 500 page: never a stack trace.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, httpStatusOf, isAppError } from '../shared/app-error.js';
import type { AppContext } from '../context.js';
import { Layout } from './layout.js';
import { usePage } from './page-context.js';
import { renderPage, tOf } from './render.js';

type Kind = 'not_found' | 'forbidden' | 'unauthenticated' | 'rate_limited' | 'too_large' | 'csrf' | 'server' | 'unavailable' | 'invalid';

export function ErrorView({ kind, status, reference, detail, params }: { kind: Kind; status: number; reference?: string; detail?: string; params?: Record<string, string | number> }) {
  const { t } = usePage();
  const titleKey = kind === 'invalid' ? 'errors.invalid' : `errors.${kind}.title`;
  const textKey = kind === 'invalid' ? 'errors.invalid' : `errors.${kind}.text`;
  return (
    <Layout title={t(titleKey)} narrow>
      <h1>{t(titleKey)}</h1>
      <p class="lead">{detail ? t(detail, params) : t(textKey)}</p>
      {kind === 'unauthenticated' && (
        <p>
          <a class="button button-primary" href={`/connexion`}>
            {t('site.nav.login')}
          </a>
        </p>
      )}
      <p>
        <a href="/">{t('errors.not_found.back')}</a>
      </p>
      {reference && <p class="small muted">{t('errors.reference', { id: reference })}</p>}
      <p class="small muted">HTTP {status}</p>
    </Layout>
  );
}

const isApi = (request: FastifyRequest) => request.url.startsWith('/api/');

export function sendProblem(request: FastifyRequest, reply: FastifyReply, status: number, code: string, title: string, errors?: Record<string, string>) {
  return reply
    .code(status)
    .type('application/problem+json; charset=utf-8')
    .send({ type: `about:blank`, title, status, code, instance: request.url, ...(errors && Object.keys(errors).length ? { errors } : {}) });
}

function classify(error: FastifyError | AppError): { status: number; kind: Kind; code: string } {
  if (isAppError(error)) {
    const status = httpStatusOf[error.code];
    const kind: Kind = error.code === 'conflict' ? 'invalid' : (error.code as Kind);
    return { status, kind, code: error.code };
  }
  const fe = error as FastifyError;
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || fe.statusCode === 413) return { status: 413, kind: 'too_large', code: 'too_large' };
  if (fe.statusCode === 429) return { status: 429, kind: 'rate_limited', code: 'rate_limited' };
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) return { status: fe.statusCode, kind: 'invalid', code: 'invalid' };
  return { status: 500, kind: 'server', code: 'internal' };
}

export function registerErrorHandling(app: FastifyInstance, ctx: AppContext) {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    const { status, kind, code } = classify(error);
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code, status }, 'request refused');
    const t = tOf(request);
    const detail = isAppError(error) && error.message.includes('.') ? error.message : undefined;
    if (isApi(request)) {
      const title = detail ? t(detail, error instanceof AppError ? error.params : undefined) : t(kind === 'invalid' ? 'errors.invalid' : `errors.${kind}.title`);
      const fields = isAppError(error) ? Object.fromEntries(Object.entries(error.fields).map(([k, v]) => [k, t(v)])) : undefined;
      return sendProblem(request, reply, status, code, title, fields);
    }
    if (status === 429) reply.header('retry-after', '60');
    return renderPage(ctx, request, reply, <ErrorView kind={kind} status={status} detail={detail} params={isAppError(error) ? error.params : undefined} reference={status >= 500 ? request.id : undefined} />, status);
  });

  app.setNotFoundHandler((request, reply) => {
    if (isApi(request)) return sendProblem(request, reply, 404, 'not_found', tOf(request)('errors.not_found.title'));
    return renderPage(ctx, request, reply, <ErrorView kind="not_found" status={404} />, 404);
  });
}

/** For routes: a CSRF failure, rendered like other refusals. */
export const csrfError = () => Object.assign(new AppError('forbidden', 'errors.csrf.text'), {});
