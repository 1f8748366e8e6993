/**
 * Recomputes the DVF price medians from a file staff downloaded (`npm run import:dvf -- FILE`): the official
 * `valeursfoncieres-YYYY.txt` (`|`, decimal comma) or Etalab's geo-dvf CSV, optionally gzipped. A malformed file
 * is refused whole, with its line numbers, and nothing changes.
 */
import { existsSync } from 'node:fs';
import { openContext } from '../src/bootstrap.js';
import { loadConfig } from '../src/config.js';
import { commandLineActor, importDvfFile } from '../src/domains/territory/index.js';
import { tFor } from '../src/web/i18n/index.js';

const file = process.argv.slice(2).find((a) => !a.startsWith('-'));
if (!file) {
  console.error('Usage : npm run import:dvf -- <fichier valeursfoncieres-AAAA.txt ou CSV geo-dvf, éventuellement .gz>');
  process.exit(2);
}
if (!existsSync(file)) {
  console.error(`Fichier introuvable : ${file}`);
  process.exit(2);
}

const t = tFor('fr');
const nf = new Intl.NumberFormat('fr-FR');
const config = loadConfig(process.env, { logLevel: 'warn' });
const ctx = await openContext(config);
let code = 0;
try {
  const started = performance.now();
  const outcome = await importDvfFile(ctx, commandLineActor(ctx.territory.id), file);
  if (outcome.status === 'rejected') {
    console.error(t('territory.dvf.rejected', { count: outcome.errorCount }));
    for (const e of outcome.errors) console.error(`  ${e.line ? t('territory.dvf.line', { line: e.line }) : t('territory.dvf.wholeFile')} : ${t(e.key, e.params)}`);
    if (outcome.errorCount > outcome.errors.length) console.error(`  … ${t('territory.dvf.moreErrors', { count: outcome.errorCount - outcome.errors.length })}`);
    code = 1;
  } else {
    console.log(`Fichier lu (${outcome.format === 'raw' ? 'DVF brut DGFiP' : 'geo-dvf Etalab'}) : ${nf.format(outcome.lines)} lignes, ${nf.format(outcome.mutations)} mutations dans le territoire.`);
    console.log(`Ventes retenues : ${nf.format(outcome.sales.houses)} maisons, ${nf.format(outcome.sales.flats)} appartements (période ${outcome.periodStart ?? '?'} → ${outcome.periodEnd ?? '?'}).`);
    console.log(`Écartées : ${outcome.excluded.notSale} hors vente, ${outcome.excluded.noDwelling} sans logement, ${outcome.excluded.mixed} mixtes, ${outcome.excluded.outOfBounds} hors bornes.`);
    console.log(`Communes avec au moins une vente : ${outcome.communesWithSales}. Fiches mises à jour : ${outcome.communesChanged} (jeu ${outcome.datasetKey}), en ${Math.round(performance.now() - started)} ms.`);
    console.log('Toutes les communes prennent les prix de ce fichier : une commune sans vente dans le fichier n’a plus de prix médian.');
  }
} catch (error) {
  console.error(`Import impossible : ${(error as Error).message}`);
  code = 1;
} finally {
  await ctx.database.close();
}
process.exit(code);
