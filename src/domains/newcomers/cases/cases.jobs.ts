/**
 * The task reminder: on the due day's morning, the assignee of an open task gets a mail. The mail and the job's
 * completion commit together, so a reminder is queued once even if a worker dies mid-run. A task done (or moved to
 * another day) before then is simply skipped.
 */
import type { AppContext } from '../../../context.js';
import { completeWithin, type ClaimedJob } from '../../../jobs/queue.js';
import { queueTemplatedMail } from '../../mail/index.js';
import * as repo from './cases.repo.js';
import { formatDay } from '../../../shared/time.js';

export async function taskReminderJob(ctx: AppContext, job: ClaimedJob) {
  const taskId = Number(job.payload.taskId);
  const dueOn = String(job.payload.dueOn ?? '');
  await ctx.db.transaction().execute(async (trx) => {
    const task = Number.isInteger(taskId) && taskId > 0 ? await repo.findTaskForReminder(trx, taskId) : undefined;
    if (task && !task.done_at && !task.disabled_at && task.due_on === dueOn) {
      const intl = task.locale === 'en' ? 'en-GB' : 'fr-FR';
      await queueTemplatedMail(trx, ctx, {
        territoryId: task.territory_id,
        to: task.email,
        locale: task.locale,
        template: 'newcomers.mail.taskReminder',
        params: { title: task.title, number: task.number, name: task.contact_name, due: formatDay(task.due_on, intl) },
        path: `/admin/accueil/${task.case_id}#taches`,
      });
    }
    await completeWithin(trx, job, ctx.clock.now());
  });
}
