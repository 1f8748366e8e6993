/** What privacy adds to the case pages and the export: the documents, the deletion request, the retention date. */
import type { CaseExportPart, PageSection } from '../cases/index.js';
import { ownRecords, staffRecords, type OwnRecords, type StaffRecords } from './privacy.service.js';
import { CaseRecordsSection, MyRecordsSection } from './privacy.views.js';

export const recordsCaseSection: PageSection<{ caseId: string; number: number; records: StaffRecords }> = {
  order: 120,
  load: async (ctx, actor, { case: c }) => ({ caseId: c.id, number: c.number, records: await staffRecords(ctx, actor.territoryId, c.id) }),
  render: (data, forms) => <CaseRecordsSection caseId={data.caseId} number={data.number} records={data.records} forms={forms} />,
  // The request is late once its deadline has passed (strictly after it); the retention date is past from its instant.
  changesAt: ({ records: { retention: r } }, now) => {
    const instants = [r?.deletionDeadline ? new Date(r.deletionDeadline.getTime() + 1) : null, r?.retentionUntil ?? null].filter((x): x is Date => !!x && x > now);
    return instants.length ? new Date(Math.min(...instants.map((x) => x.getTime()))) : null;
  },
};

export const recordsHouseholdSection: PageSection<OwnRecords> = {
  order: 70,
  load: (ctx, actor, { case: c }) => ownRecords(ctx, actor.territoryId, c.id),
  render: (records, forms) => <MyRecordsSection records={records} forms={forms} />,
};

export const recordsExport: CaseExportPart = {
  order: 40,
  load: async (ctx, actor, { case: c }) => {
    const r = await ownRecords(ctx, actor.territoryId, c.id);
    return {
      documents: r.documents.map((d) => ({ name: d.original_name, type: d.content_type, size: d.size_bytes, sha256: d.sha256, from: d.from_staff ? 'staff' : 'household', uploadedAt: d.uploaded_at })),
      deletionRequestedAt: r.deletionRequestedAt,
    };
  },
};
