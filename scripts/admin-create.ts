/**
 * `npm run admin:create -- EMAIL`: makes EMAIL an admin of the territory (creating the account if needed) and
 * prints the link to set its password. The same link is queued as a mail, but a fresh deployment may have no
 * SMTP yet, so the terminal is the reliable way to hand it over.
 */
import { z } from 'zod';
import { openContext } from '../src/bootstrap.js';
import { createAdmin } from '../src/domains/accounts/index.js';
import { run, scriptConfig, takeDatabase } from './cli.js';

run(async () => {
  const email = z.email().safeParse(process.argv[2]?.trim());
  if (!email.success) throw new Error('Usage: npm run admin:create -- EMAIL (a valid email address)');
  const config = scriptConfig();
  takeDatabase(config, 'admin:create', 'create an admin');
  const ctx = await openContext(config);
  try {
    const { link } = await createAdmin(ctx, email.data);
    console.log(`${email.data} is an admin of ${ctx.territory.name}.`);
    console.log(`Set the password within 7 days at: ${link}`);
    console.log(config.smtpUrl ? 'The same link is being mailed.' : 'No SMTP_URL: the mail waits in the outbox (/admin/courriels).');
  } finally {
    await ctx.database.close();
  }
});
