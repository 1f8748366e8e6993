/**
 * Loads (or refreshes) a territory's shipped open data: `npm run import:territory -- gers`.
 * One transaction; running it again on the same files changes nothing (it says so). Staff corrections, duplicate
 * marks and DVF figures imported from a newer file are kept. With OSRM_URL set, drive times come from that server.
 */
import { openContext, StartupError } from '../src/bootstrap.js';
import { loadConfig } from '../src/config.js';
import { importTerritory } from '../src/domains/territory/index.js';

const slug = process.argv.slice(2).find((a) => !a.startsWith('-'));
if (!slug || !/^[a-z0-9-]+$/.test(slug)) {
  console.error('Usage : npm run import:territory -- <territoire>   (par exemple : gers)');
  process.exit(2);
}

try {
  const config = loadConfig(process.env, { territory: slug, logLevel: 'warn' });
  const ctx = await openContext(config);
  try {
    // With OSRM_URL set, the drive times are asked to that routing server (and cited as such); estimated otherwise.
    const routing = config.routingUrl ? { url: config.routingUrl } : undefined;
    if (routing) console.log(`Temps de trajet demandés au serveur d’itinéraires ${new URL(routing.url).host}…`);
    const report = await importTerritory(ctx.db, ctx.territory, { now: ctx.clock.now(), routing });
    console.log(`Territoire « ${ctx.territory.name} » : ${report.communes} communes lues en ${report.ms} ms.`);
    for (const [table, w] of Object.entries(report.written)) {
      console.log(`  ${table.padEnd(18)} ${w.inserted} ajoutée(s), ${w.updated} modifiée(s)${w.deleted ? `, ${w.deleted} supprimée(s)` : ''}`);
    }
    console.log(report.changes === 0 ? 'Aucun changement : la base contenait déjà ces données.' : `${report.changes} ligne(s) écrite(s).`);
    if (report.keptUploadedDvf) console.log('Les prix DVF importés par l’équipe (import:dvf) ont été conservés.');
  } finally {
    await ctx.database.close();
  }
} catch (error) {
  console.error(error instanceof StartupError || error instanceof Error ? `Import impossible : ${error.message}` : error);
  process.exit(1);
}
