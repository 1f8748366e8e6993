import type { Executor } from '../../context.js';

/** Headline counts for the dashboard, in one round trip. */
export async function dashboardCounts(db: Executor, territoryId: number) {
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom('role_grant')
        .select((e) => e.fn.count<number>('user_id').distinct().as('n'))
        .where('territory_id', '=', territoryId)
        .as('people'),
      eb.selectFrom('outbox_mail').select(eb.fn.countAll<number>().as('n')).where('territory_id', '=', territoryId).where('state', 'in', ['pending', 'sending']).as('mail_pending'),
      eb.selectFrom('job').select(eb.fn.countAll<number>().as('n')).where('state', '=', 'failed').as('jobs_failed'),
    ])
    .executeTakeFirstOrThrow();
  return { people: Number(row.people ?? 0), mailPending: Number(row.mail_pending ?? 0), jobsFailed: Number(row.jobs_failed ?? 0) };
}
