/** Mail: the outbox every mail goes through, its delivery job and the administrators' view (/admin/courriels). */
import type { DomainModule } from '../../module.js';
import { DELIVER_MAIL_JOB } from './mail.service.js';
import { deliverMailJob } from './mail.deliver.js';
import * as mailI18n from './mail.i18n.js';
import { mailRoutes } from './mail.routes.js';

export { queueMail, queueTemplatedMail, queueTemplatedMails, composeTemplatedMail, discardMailsTo, DELIVER_MAIL_JOB, type TemplatedMail } from './mail.service.js';
export { deliverMailJob, messageIdFor } from './mail.deliver.js';

export const mailModule: DomainModule = {
  name: 'mail',
  catalogues: [mailI18n],
  routes: mailRoutes,
  jobs: { [DELIVER_MAIL_JOB]: deliverMailJob },
  // Delivery waits on the SMTP server: its own lane, several conversations at once, never in the way of backups.
  jobLane: { concurrency: 4 },
  nav: { admin: [{ href: '/admin/courriels', key: 'admin.nav.mail', order: 30, roles: ['admin'] }] },
};
