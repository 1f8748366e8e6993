// Frozen once merged: never edit, add a new migration instead. Migrations import nothing from src/.
//
// The members' directory with 10,000 members: a search spent more than half its time on two things computed again
// at every request from every row (docs/decisions/0027-member-directory-denormalised.md):
// - `member.valid_until`: the last day any of the member's periods pays for (null without one), what the directory
//   asked each member's periods for (`exists (… ends_on >= today)`, `max(ends_on)`). A trigger keeps it at every
//   insert, update or delete of a period, whatever writes it (the dues, an import, the demo, a benchmark).
// - `member_tag.uses`: how many profiles carry the skill, the order of the directory's skill filter and of the
//   profile form's suggestions, which counted every profile's skills at each page. A trigger keeps it at every
//   insert or delete of a profile's skill (cascades from an erased profile included).
// Who is listed (an approved member, not anonymised, `valid_until` today or later) and who sees what stay decided
// in TypeScript (profiles.visibility.ts); these columns only spare recounting.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table member add column valid_until date`.execute(db);
  await sql.raw(`
    create function member_valid_until_sync() returns trigger language plpgsql as $$
    begin
      if tg_op in ('UPDATE', 'DELETE') then
        update member m set valid_until = (select max(pe.ends_on) from membership_period pe where pe.member_id = old.member_id) where m.id = old.member_id;
      end if;
      if tg_op in ('INSERT', 'UPDATE') then
        update member m set valid_until = (select max(pe.ends_on) from membership_period pe where pe.member_id = new.member_id) where m.id = new.member_id;
      end if;
      return null;
    end $$`).execute(db);
  await sql`
    create trigger member_valid_until_sync after insert or update of ends_on, member_id or delete on membership_period
      for each row execute function member_valid_until_sync()`.execute(db);
  await sql`update member m set valid_until = (select max(pe.ends_on) from membership_period pe where pe.member_id = m.id)`.execute(db);
  // The directory's first step: the territory's approved members still paid up.
  await sql`create index member_listed_idx on member (territory_id, valid_until) where state = 'approved' and anonymised_at is null`.execute(db);

  await sql`alter table member_tag add column uses integer not null default 0`.execute(db);
  await sql`alter table member_tag add constraint member_tag_uses_check check (uses >= 0)`.execute(db);
  await sql.raw(`
    create function member_tag_uses_sync() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        update member_tag set uses = uses + 1 where id = new.tag_id;
      else
        update member_tag set uses = uses - 1 where id = old.tag_id;
      end if;
      return null;
    end $$`).execute(db);
  await sql`
    create trigger member_tag_uses_sync after insert or delete on member_profile_tag
      for each row execute function member_tag_uses_sync()`.execute(db);
  await sql`update member_tag t set uses = (select count(*) from member_profile_tag pt where pt.tag_id = t.id)`.execute(db);
}
