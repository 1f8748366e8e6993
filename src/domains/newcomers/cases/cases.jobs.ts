/**
 * The task reminder: on the due day's morning, the assignee of an open task gets a mail. The mail and the job's
 * completion commit together, so a reminder is queued once even if a worker dies mid-run. A task done (or moved to
 * another day) before then is simply skipped.
 */
import type { AppContext } from '../../../context.js';
import { completeWithin, type ClaimedJob } from '../../../jobs/queue.js';
import { tFor } from '../../../web/i18n/index.js';
import { queueMail } from '../../mail/index.js';
import * as repo from './cases.repo.js';
import { formatDay } from '../../../shared/time.js';

export async function taskReminderJob(ctx: AppContext, job: ClaimedJob) {
  const taskId = Number(job.payload.taskId);
  const dueOn = String(job.payload.dueOn ?? '');
  await ctx.db.transaction().execute(async (trx) => {
    const task = Number.isInteger(taskId) && taskId > 0 ? await repo.findTaskForReminder(trx, taskId) : undefined;
    if (task && !task.done_at && !task.disabled_at && task.due_on === dueOn) {
      const t = tFor(task.locale);
      const intl = task.locale === 'en' ? 'en-GB' : 'fr-FR';
      const p = { programme: ctx.territory.programmeName, title: task.title, number: task.number, name: task.contact_name, due: formatDay(task.due_on, intl) };
      const text = `${t('newcomers.mail.taskReminder.body', p)}\n\n${ctx.config.baseUrl}/admin/accueil/${task.case_id}#taches\n\n${t('mail.signature', p)}\n`;
      await queueMail(trx, ctx, { territoryId: task.territory_id, to: task.email, subject: t('newcomers.mail.taskReminder.subject', p), text });
    }
    await completeWithin(trx, job, ctx.clock.now());
  });
}
