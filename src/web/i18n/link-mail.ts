/**
 * The text of a mail that sends its reader to a page: `<prefix>.<kind>.subject` and `.body` from the catalogue in
 * the recipient's language, then the link (the private text itself stays on the site), then the signature. The
 * domains queue it through the mail domain, in the transaction of the change it tells about.
 */
import type { AppContext } from '../../context.js';
import { type Locale, type Params, tFor } from './index.js';

export function linkMail(ctx: AppContext, locale: Locale, prefix: string, kind: string, params: Params, path: string) {
  const t = tFor(locale);
  const p = { programme: ctx.territory.programmeName, ...params };
  return {
    subject: t(`${prefix}.${kind}.subject`, p),
    text: `${t(`${prefix}.${kind}.body`, p)}\n\n${ctx.config.baseUrl}${path}\n\n${t('mail.signature', p)}\n`,
  };
}
