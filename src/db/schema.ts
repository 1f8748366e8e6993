/**
 * Table types for Kysely. One interface per table, named like the table; each domain's repo is the only
 * code that queries its tables. Keep in step with the migrations.
 */
import type { ColumnType, Generated, JSONColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T = Record<string, unknown>> = ColumnType<T, string | T | undefined, string | T>;

export type Role = 'candidate' | 'member' | 'staff' | 'space_manager' | 'partner' | 'admin';

export interface TerritoryTable {
  id: Generated<number>;
  slug: string;
  name: string;
  programme_name: string;
  settings: Json;
  created_at: DefaultTimestamp;
}

export interface UserAccountTable {
  id: Generated<string>;
  email: string;
  password_hash: string | null;
  display_name: string;
  locale: ColumnType<'fr' | 'en', 'fr' | 'en' | undefined, 'fr' | 'en'>;
  email_verified_at: Timestamp | null;
  disabled_at: Timestamp | null;
  created_at: DefaultTimestamp;
}

export interface RoleGrantTable {
  territory_id: number;
  user_id: string;
  role: Role;
  granted_at: DefaultTimestamp;
  granted_by: string | null;
}

export interface SessionTable {
  token_hash: string;
  user_id: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  user_agent: string | null;
}

export interface EmailTokenTable {
  token_hash: string;
  user_id: string;
  purpose: 'verify_email' | 'reset_password';
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface InvitationTable {
  id: Generated<string>;
  territory_id: number;
  token_hash: string;
  email: string;
  roles: Role[];
  invited_by: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  accepted_at: Timestamp | null;
  accepted_by: string | null;
}

export interface AuditEventTable {
  id: Generated<number>;
  territory_id: number | null;
  actor_id: string | null;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  data: Json;
  at: Timestamp;
}

export interface JobTable {
  id: Generated<number>;
  kind: string;
  payload: Json;
  state: ColumnType<'pending' | 'done' | 'failed', 'pending' | 'done' | 'failed' | undefined>;
  run_at: Timestamp;
  attempts: ColumnType<number, number | undefined, number>;
  max_attempts: ColumnType<number, number | undefined, number>;
  locked_by: string | null;
  locked_until: Timestamp | null;
  last_error: string | null;
  dedupe_key: string | null;
  created_at: Timestamp;
  finished_at: Timestamp | null;
}

export type MailState = 'pending' | 'sending' | 'sent' | 'failed' | 'held';

export interface OutboxMailTable {
  id: Generated<string>;
  territory_id: number | null;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  state: ColumnType<MailState, MailState | undefined, MailState>;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
  message_id: string | null;
  created_at: Timestamp;
  sent_at: Timestamp | null;
}

export interface DB {
  territory: TerritoryTable;
  user_account: UserAccountTable;
  role_grant: RoleGrantTable;
  session: SessionTable;
  email_token: EmailTokenTable;
  invitation: InvitationTable;
  audit_event: AuditEventTable;
  job: JobTable;
  outbox_mail: OutboxMailTable;
}

export type { JSONColumnType };
