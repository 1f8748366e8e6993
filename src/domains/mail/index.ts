export { queueMail, DELIVER_MAIL_JOB } from './mail.service.js';
export { deliverMailJob, messageIdFor } from './mail.deliver.js';
export { mailRoutes } from './mail.routes.js';
