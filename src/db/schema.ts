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
  /** The territory whose site opened the account (its administrators manage it, with those where it holds a role). */
  territory_id: number | null;
  /** A demo account (public password): disabled whenever the server runs without demo mode. */
  demo: ColumnType<boolean, boolean | undefined, boolean>;
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
  territory_id: number;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  reply_to: ColumnType<string | null, string | null | undefined, string | null>;
  state: ColumnType<MailState, MailState | undefined, MailState>;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
  message_id: string | null;
  created_at: Timestamp;
  sent_at: Timestamp | null;
  last_attempt_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** Files sent with the mail (content in base64). */
  attachments: Json<MailAttachment[]>;
  /** While "sending": the delivery holds the mail until then; after it, another run may take it over. */
  sending_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** Deliveries taken over after a lapsed lease (the recipient may have received the mail twice). */
  lease_retries: ColumnType<number, number | undefined, number>;
  /** The one-click unsubscribe address sent as `List-Unsubscribe` (non-essential group mails only). */
  list_unsubscribe: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface MailAttachment {
  filename: string;
  contentType: string;
  /** base64 */
  content: string;
}

// ---------------------------------------------------------------------------------------------- territory guide

type DayText = ColumnType<string, string, string>;
export type DatasetOrigin = 'shipped' | 'upload';

export interface DatasetTable {
  id: Generated<number>;
  territory_id: number;
  key: string;
  title: string;
  publisher: string;
  edition: string;
  /** Dates are selected as text (`published_on::text`) so no time zone ever shifts them. */
  published_on: DayText | null;
  period_start: DayText | null;
  period_end: DayText | null;
  licence: string;
  licence_url: string | null;
  attribution: string;
  url: string | null;
  files: ColumnType<string[], string[] | undefined, string[]>;
  notes: string | null;
  share_alike: ColumnType<boolean, boolean | undefined, boolean>;
  origin: ColumnType<DatasetOrigin, DatasetOrigin | undefined, DatasetOrigin>;
  imported_at: Timestamp;
  /** The year the figures describe, when it is not the edition's (migration 2026-12-03T0800). */
  reference_year: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface EpciTable {
  territory_id: number;
  siren: string;
  name: string;
  dataset_id: number;
}

export interface CommuneTable {
  territory_id: number;
  insee: string;
  name: string;
  /** The name folded for sorting (lower case, no accents), kept by the database. */
  sort_name: ColumnType<string, never, never>;
  population: number | null;
  postcodes: ColumnType<string[], string[] | undefined, string[]>;
  epci_siren: string | null;
  cantons: ColumnType<string[], string[] | undefined, string[]>;
  lat: number;
  lon: number;
  area_km2: number | null;
  identity_dataset_id: number;
  centre_dataset_id: number;
  boundary_dataset_id: number | null;
  dvf_house_median: number | null;
  dvf_house_sales: ColumnType<number, number | undefined, number>;
  dvf_flat_median: number | null;
  dvf_flat_sales: ColumnType<number, number | undefined, number>;
  dvf_dataset_id: number | null;
  gp_count: ColumnType<number, number | undefined, number>;
  pharmacy_count: ColumnType<number, number | undefined, number>;
  msp_count: ColumnType<number, number | undefined, number>;
  emergency_count: ColumnType<number, number | undefined, number>;
  hospital_count: ColumnType<number, number | undefined, number>;
  maternity_count: ColumnType<number, number | undefined, number>;
  dentist_count: ColumnType<number, number | undefined, number>;
  physio_count: ColumnType<number, number | undefined, number>;
  nurse_count: ColumnType<number, number | undefined, number>;
  creche_count: ColumnType<number, number | undefined, number>;
  ehpad_count: ColumnType<number, number | undefined, number>;
  bpe_counts: Json<Record<string, number>>;
  bpe_dataset_id: number | null;
  cinema_count: ColumnType<number, number | undefined, number>;
  festival_count: ColumnType<number, number | undefined, number>;
  km_auch: number | null;
  min_auch: number | null;
  km_toulouse: number | null;
  min_toulouse: number | null;
  km_bordeaux: number | null;
  min_bordeaux: number | null;
  km_airport: number | null;
  min_airport: number | null;
  km_station: number | null;
  min_station: number | null;
  nearest_station_uic: string | null;
  nearest_gp_insee: string | null;
  nearest_gp_km: number | null;
  nearest_pharmacy_insee: string | null;
  nearest_pharmacy_km: number | null;
  nearest_cinema_insee: string | null;
  nearest_cinema_km: number | null;
  access_dataset_id: number | null;
  /** Where the drive times come from: the estimate (same as access) or a routing server asked at import. */
  time_dataset_id: number | null;
  search: ColumnType<string, never, never>;
}

export interface CommuneBoundaryTable {
  territory_id: number;
  insee: string;
  geometry: Json<{ type: 'Polygon' | 'MultiPolygon'; coordinates: unknown }>;
}

export interface StationTable {
  territory_id: number;
  uic: string;
  name: string;
  trigram: string | null;
  segment: string | null;
  lat: number;
  lon: number;
  insee: string;
  in_territory: boolean;
  passenger: boolean;
  freight: boolean | null;
  dataset_id: number;
}

export interface ReferencePointTable {
  territory_id: number;
  key: string;
  name: string;
  kind: 'commune' | 'gare' | 'aeroport';
  insee: string | null;
  lat: number;
  lon: number;
  dataset_id: number;
}

export interface PriceReferenceTable {
  territory_id: number;
  insee: string;
  name: string;
  house_median: number | null;
  house_sales: number | null;
  flat_median: number | null;
  flat_sales: number | null;
  dataset_id: number | null;
  source_note: string | null;
  source_url: string | null;
  source_date: DayText | null;
  entered_at: Timestamp | null;
}

export interface CinemaTable {
  territory_id: number;
  cnc_id: string;
  insee: string;
  name: string;
  address: string | null;
  screens: number;
  seats: number | null;
  admissions_2022: number | null;
  admissions_2021: number | null;
  art_et_essai: ColumnType<boolean, boolean | undefined, boolean>;
  labels: string | null;
  lat: number;
  lon: number;
  dataset_id: number;
}

export interface FestivalTable {
  territory_id: number;
  festival_id: string;
  insee: string;
  name: string;
  discipline: string | null;
  subcategory: string | null;
  period: string | null;
  founded_year: number | null;
  website: string | null;
  lat: number | null;
  lon: number | null;
  dataset_id: number;
}

export interface FigureOverrideTable {
  id: Generated<number>;
  territory_id: number;
  insee: string;
  figure: string;
  value: number;
  imported_value: number | null;
  note: string;
  author_id: string | null;
  created_at: Timestamp;
}

/** A record of an imported list marked by staff as a duplicate of another one (migration 2026-12-03T0800). */
export type DuplicateKind = 'festival' | 'cinema';
export interface RecordDuplicateTable {
  id: Generated<number>;
  territory_id: number;
  kind: DuplicateKind;
  record_key: string;
  duplicate_of: string;
  note: string;
  author_id: string | null;
  created_at: Timestamp;
}

/** A key figure of the home page written by staff, never without its source and date. */
export interface HomeHighlightTable {
  id: Generated<number>;
  territory_id: number;
  position: ColumnType<number, number | undefined, number>;
  figure: string;
  text_fr: string;
  text_en: string | null;
  source_note: string;
  source_url: string | null;
  source_date: DayText;
  created_at: Timestamp;
  updated_at: Timestamp;
}

// ---- guide and third places (migration 2026-11-27T1200) ----
export type PublicationStatus = 'draft' | 'published';

export interface GuideArticleTable {
  id: Generated<number>;
  territory_id: number;
  slug: string;
  category: string;
  title: string;
  summary: ColumnType<string, string | undefined, string>;
  body_md: string;
  status: ColumnType<PublicationStatus, PublicationStatus | undefined, PublicationStatus>;
  version: ColumnType<number, number | undefined, number>;
  published_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  updated_by: string | null;
  search_name: ColumnType<string, never, never>;
  search: ColumnType<string, never, never>;
}

export interface GuideArticleRevisionTable {
  id: Generated<number>;
  territory_id: number;
  article_id: number;
  number: number;
  slug: string;
  category: string;
  title: string;
  summary: string;
  body_md: string;
  status: PublicationStatus;
  note: ColumnType<string, string | undefined, string>;
  author_id: string | null;
  created_at: Timestamp;
}

/** Opening hours per ISO weekday ("1" = Monday … "7" = Sunday), each a list of "HH:MM" ranges. */
export type OpeningHours = Partial<Record<'1' | '2' | '3' | '4' | '5' | '6' | '7', { from: string; to: string }[]>>;

export interface ThirdPlaceTable {
  id: Generated<number>;
  territory_id: number;
  slug: string;
  name: string;
  summary: ColumnType<string, string | undefined, string>;
  description_md: ColumnType<string, string | undefined, string>;
  label: ColumnType<string, string | undefined, string>;
  commune_insee: string;
  commune_name: string;
  address: string | null;
  postcode: string | null;
  lat: number;
  lon: number;
  location_approximate: ColumnType<boolean, boolean | undefined, boolean>;
  services: ColumnType<string[], string[] | undefined, string[]>;
  services_note: ColumnType<string, string | undefined, string>;
  opening_hours: ColumnType<OpeningHours | null, string | null | undefined, string | null>;
  hours_note: ColumnType<string, string | undefined, string>;
  prices: ColumnType<string, string | undefined, string>;
  prices_are_example: ColumnType<boolean, boolean | undefined, boolean>;
  website: string | null;
  email: string | null;
  phone: string | null;
  source_url: string | null;
  status: ColumnType<PublicationStatus, PublicationStatus | undefined, PublicationStatus>;
  created_at: Timestamp;
  updated_at: Timestamp;
  updated_by: string | null;
  search_name: ColumnType<string, never, never>;
  search: ColumnType<string, never, never>;
}

// ------------------------------------------------------------------------------------------ newcomers
export type CaseStage = 'nouveau' | 'qualifie' | 'accompagne' | 'sejour_decouverte' | 'installation' | 'installe' | 'suivi' | 'en_pause' | 'abandon';
/** `date` columns are read as 'YYYY-MM-DD' text (repos cast them), never as a Date shifted by the server's zone. */
type DateText = ColumnType<string, string, string>;

export interface CaseDropReasonTable {
  id: Generated<number>;
  territory_id: number;
  key: string | null;
  label: string | null;
  position: ColumnType<number, number | undefined, number>;
  archived_at: Timestamp | null;
  created_at: Timestamp;
}

export interface NewcomerCaseTable {
  id: Generated<string>;
  number: Generated<number>;
  territory_id: number;
  /** Null once the case is anonymised (the row stays for the programme's figures). */
  contact_user_id: string | null;
  contact_name: string;
  phone: string | null;
  current_place: string | null;
  timing: string;
  needs: ColumnType<string[], string[] | undefined, string[]>;
  heard_from: string | null;
  target_text: string | null;
  project_text: string | null;
  consent_contact_at: Timestamp;
  consent_share: ColumnType<boolean, boolean | undefined, boolean>;
  consent_share_at: Timestamp | null;
  stage: ColumnType<CaseStage, CaseStage | undefined, CaseStage>;
  paused_from: CaseStage | null;
  stage_changed_at: Timestamp;
  adviser_id: string | null;
  settled_insee: string | null;
  settled_on: DateText | null;
  drop_reason_id: number | null;
  drop_comment: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  deletion_requested_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  anonymised_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** Loaded as demo content (removed by `npm run demo:remove`). */
  demo: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface CaseAdultTable {
  id: Generated<number>;
  territory_id: number;
  case_id: string;
  position: number;
  first_name: string | null;
  project: string;
  profession: string | null;
  sector: string | null;
}

export interface CaseChildTable {
  id: Generated<number>;
  territory_id: number;
  case_id: string;
  position: number;
  age: number;
  schooling: string;
  needs: string | null;
}

export interface CaseCommuneTable {
  territory_id: number;
  case_id: string;
  insee: string;
  added_at: Timestamp;
}

/** An application with a known account's address, sent by someone else: waits for the address to confirm it. */
export interface PendingApplicationTable {
  token_hash: string;
  territory_id: number;
  user_id: string;
  locale: 'fr' | 'en';
  payload: Json;
  created_at: Timestamp;
  expires_at: Timestamp;
  confirmed_at: Timestamp | null;
}

export interface CaseApplicationTable {
  id: Generated<number>;
  territory_id: number;
  case_id: string;
  submitted_at: Timestamp;
  signed_in: boolean;
  locale: 'fr' | 'en';
  payload: Json;
}

export interface CaseStageEventTable {
  id: Generated<number>;
  territory_id: number;
  case_id: string;
  from_stage: CaseStage | null;
  to_stage: CaseStage;
  at: Timestamp;
  by_user_id: string | null;
  reason_id: number | null;
  comment: string | null;
  /** When the case left this stage: the instant of its next stage event, kept by a trigger (null while in it). */
  left_at: Generated<Timestamp | null>;
  /** The case's cohort (Paris year of its creation), set by a trigger before insert. */
  cohort_year: Generated<number>;
  /** Days spent in this stage (`left_at - at`), generated; null while the case is in it. */
  stay_days: Generated<number | null>;
}

/** The funnel figures' facts of one case, kept by triggers (decision 0035); nothing personal. */
export interface CaseFunnelTable {
  case_id: string;
  territory_id: number;
  cohort_year: number;
  /** Every stage the case ever reached, sorted in byte order. */
  reached: CaseStage[];
  settled_year: number | null;
  settled_insee: string | null;
  adults: number;
  children: number;
}

/** A flow of a case in a Paris month (1–12) and year (month 0), kept by triggers (decision 0035). */
export interface CaseFlowTable {
  case_id: string;
  territory_id: number;
  kind: 'entered' | 'qualifie' | 'sejour_decouverte' | 'installe' | 'abandon';
  year: number;
  month: number;
}

export interface CaseFlowCountTable {
  territory_id: number;
  kind: CaseFlowTable['kind'];
  year: number;
  month: number;
  cases: number;
}

export interface CaseNoteTable {
  id: Generated<number>;
  territory_id: number;
  case_id: string;
  author_id: string | null;
  body: string;
  created_at: Timestamp;
}

export interface CaseTaskTable {
  id: Generated<number>;
  territory_id: number;
  case_id: string;
  title: string;
  due_on: DateText;
  assignee_id: string;
  created_by: string | null;
  created_at: Timestamp;
  done_at: Timestamp | null;
  done_by: string | null;
  funder_tag_id: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface CaseChecklistItemTable {
  id: Generated<number>;
  territory_id: number;
  case_id: string;
  key: string | null;
  label: string | null;
  position: number;
  done_at: Timestamp | null;
  done_by: string | null;
  created_at: Timestamp;
}

export interface CaseMessageTable {
  id: Generated<number>;
  territory_id: number;
  case_id: string;
  author_id: string | null;
  from_staff: boolean;
  body: string;
  created_at: Timestamp;
}

export interface PartnerProfileTable {
  territory_id: number;
  user_id: string;
  organisation: string;
  kind: 'welcome_committee' | 'chamber' | 'cae' | 'other';
  theme: 'business' | 'jobs' | 'housing' | 'schooling' | 'other' | null;
  updated_at: Timestamp;
  updated_by: string | null;
}

export interface PartnerCommuneTable {
  territory_id: number;
  user_id: string;
  insee: string;
}

export interface CaseShareTable {
  id: Generated<number>;
  territory_id: number;
  case_id: string;
  partner_id: string;
  shared_at: Timestamp;
  shared_by: string | null;
  revoked_at: Timestamp | null;
  revoked_by: string | null;
}

export interface CasePartnerViewTable {
  id: Generated<string>;
  territory_id: number;
  case_id: string;
  partner_id: string;
  at: Timestamp;
  refused: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface CasePartnerNoteTable {
  id: Generated<number>;
  territory_id: number;
  case_id: string;
  author_id: string | null;
  body: string;
  created_at: Timestamp;
}

/** As the team sees a stay: its event's draft, published with applications open, or with them closed. */
export type StayStatus = 'draft' | 'open' | 'closed';
export type StayItemKind = 'visit' | 'meeting' | 'meal' | 'workshop' | 'other';
export type StayApplicationStatus = 'applied' | 'selected' | 'waiting' | 'declined' | 'withdrawn';

/** The newcomers side of a discovery stay; the stay itself is an event (`event_id`, selection mode). */
export interface DiscoveryStayTable {
  id: Generated<number>;
  territory_id: number;
  event_id: number;
  created_by: string | null;
  created_at: Timestamp;
  /** Loaded as demo content (removed by `npm run demo:remove`). */
  demo: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface StayProgrammeItemTable {
  id: Generated<number>;
  territory_id: number;
  stay_id: number;
  day: DateText;
  /** `time` column, written 'HH:MM', read through the repo as 'HH:MM'. */
  starts_at: string;
  kind: StayItemKind;
  title: string;
  place: string | null;
  insee: string;
  created_at: Timestamp;
}

/** A case's application to a stay: the newcomers side of a registration (`registration_id`, which holds the status). */
export interface StayApplicationTable {
  id: Generated<number>;
  territory_id: number;
  stay_id: number;
  case_id: string;
  registration_id: string;
  people: number;
  message: string | null;
  applied_at: Timestamp;
  applied_by: string | null;
  attended: boolean | null;
  attendance_at: Timestamp | null;
  attendance_by: string | null;
}

export interface BuddyTable {
  territory_id: number;
  user_id: string;
  home_insee: string;
  projects: ColumnType<string[], string[] | undefined, string[]>;
  presentation: string | null;
  max_households: number;
  opted_in_at: Timestamp;
  marked_by: string | null;
  updated_at: Timestamp;
  withdrawn_at: Timestamp | null;
}

export interface CaseBuddyTable {
  id: Generated<number>;
  territory_id: number;
  case_id: string;
  buddy_user_id: string;
  confirmed_at: Timestamp;
  confirmed_by: string | null;
  ended_at: Timestamp | null;
  ended_by: string | null;
}

export interface CaseFollowupTable {
  id: Generated<number>;
  territory_id: number;
  case_id: string;
  month_offset: number;
  due_on: DateText;
  sent_at: Timestamp | null;
  answered_at: Timestamp | null;
  answered_by: string | null;
  channel: 'household' | 'phone' | null;
  still_living: 'yes' | 'moved_within' | 'left' | null;
  satisfaction: number | null;
  housing_settled: boolean | null;
  work_situation: string | null;
  comment: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CaseDocumentTable {
  id: string;
  territory_id: number;
  case_id: string;
  original_name: string;
  content_type: 'application/pdf' | 'image/jpeg' | 'image/png' | 'image/webp';
  size_bytes: number;
  sha256: string;
  uploaded_by: string | null;
  from_staff: boolean;
  uploaded_at: Timestamp;
}

export type OfferKind = 'takeover' | 'job' | 'housing';
export type OfferStatus = 'draft' | 'proposed' | 'published' | 'withdrawn';

/** An offer; the seller's contact (seller_*) is for the welcome team only, never selected by public queries. */
export interface OfferTable {
  id: Generated<number>;
  territory_id: number;
  kind: OfferKind;
  status: OfferStatus;
  title: string;
  description: string;
  insee: string;
  expires_on: DateText;
  sector: string | null;
  price_min: number | null;
  price_max: number | null;
  turnover: number | null;
  seller_name: string | null;
  seller_email: string | null;
  seller_phone: string | null;
  employer: string | null;
  contract: string | null;
  remote: boolean | null;
  housing_type: string | null;
  price: number | null;
  surface_m2: number | null;
  rooms: number | null;
  available_on: DateText | null;
  proposed_by: string | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  published_at: Timestamp | null;
  published_by: string | null;
  withdrawn_at: Timestamp | null;
  /** Loaded as demo content (removed by `npm run demo:remove`). */
  demo: ColumnType<boolean, boolean | undefined, boolean>;
}

/** A household's interest in an offer (personal data: deleted with the case). */
export interface OfferInterestTable {
  id: Generated<number>;
  territory_id: number;
  offer_id: number;
  case_id: string;
  at: Timestamp;
}

export interface FunderTagTable {
  id: Generated<number>;
  territory_id: number;
  key: string | null;
  label: string | null;
  position: ColumnType<number, number | undefined, number>;
  archived_at: Timestamp | null;
  created_at: Timestamp;
}

/** The version of what the team's case list and board show, moved by triggers at every change (decision 0031). */
export interface NewcomerListVersionTable {
  territory_id: number;
  version: number;
}

/** The version of a case's own rows on the team's case page (decision 0032), moved at commit by triggers. */
export interface CasePageVersionTable {
  case_id: string;
  version: number;
}

/** The version of what every case page of a territory reads (decision 0032), moved at commit by triggers. */
export interface CasePageTerritoryVersionTable {
  territory_id: number;
  version: number;
}

export interface CaseFunderTagTable {
  territory_id: number;
  case_id: string;
  tag_id: number;
  added_at: Timestamp;
}

// ---------------------------------------------------------------------------------------------- members

export type PlanPeriod = 'calendar_year' | 'twelve_months';
export type MemberState = 'pending' | 'approved' | 'declined' | 'struck_off';
export type PaymentMethod = 'cheque' | 'transfer' | 'cash' | 'card' | 'online';

export interface MemberPlanTable {
  id: Generated<number>;
  territory_id: number;
  name: string;
  price_cents: number;
  period: PlanPeriod;
  needs_approval: boolean;
  archived_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface MemberCounterTable {
  territory_id: number;
  name: string;
  last_value: number;
}

export interface MemberSettingsTable {
  territory_id: number;
  reminder_offsets: number[];
  updated_at: Timestamp;
  updated_by: string | null;
}

export interface MemberTable {
  id: Generated<string>;
  territory_id: number;
  number: number;
  user_id: string | null;
  plan_id: number;
  first_name: string;
  last_name: string;
  phone: string | null;
  activity: string | null;
  insee: string | null;
  outside_territory: boolean;
  newcomer_case_id: string | null;
  state: MemberState;
  decision_message: string | null;
  decided_at: Timestamp | null;
  decided_by: string | null;
  struck_off_reason: string | null;
  card_token: string;
  renewal_requested_at: Timestamp | null;
  accepted_statutes_at: Timestamp;
  accepted_privacy_at: Timestamp;
  anonymised_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** The last day the member's periods pay for, kept by a trigger on membership_period (never written here). */
  valid_until: ColumnType<string | null, never, never>;
}

export interface MemberPaymentTable {
  id: Generated<number>;
  territory_id: number;
  member_id: string;
  plan_id: number;
  plan_name: string;
  payer_name: string;
  amount_cents: number;
  /** Selected as text (`paid_on::text`) so no time zone shifts it. */
  paid_on: DayText;
  method: PaymentMethod;
  reference: string | null;
  provider: string | null;
  provider_reference: string | null;
  receipt_year: number;
  receipt_seq: number;
  recorded_by: string | null;
  recorded_at: Timestamp;
  /** Set on dues recorded by an import (`imp-` + 32 hex digits): the same line never records them twice. */
  import_reference: ColumnType<string | null, string | null | undefined, string | null>;
}

export type ImportSource = 'helloasso' | 'paheko' | 'galette' | 'other';

/** An uploaded member list kept between its dry run and its apply (cells as text, the mapping once chosen). */
export interface MemberImportTable {
  id: Generated<string>;
  territory_id: number;
  uploaded_by: string;
  file_name: string;
  file_sha256: string;
  source: ImportSource;
  headers: Json<string[]>;
  rows: Json<string[][]>;
  line_count: number;
  mapping: ColumnType<Record<string, number> | null, string | null | undefined, string | null>;
  default_method: PaymentMethod;
  applied_at: Timestamp | null;
  applied_by: string | null;
  summary: ColumnType<Record<string, number> | null, string | null | undefined, string | null>;
  created_at: Timestamp;
}

export interface MembershipPeriodTable {
  id: Generated<number>;
  territory_id: number;
  member_id: string;
  payment_id: number;
  starts_on: DayText;
  ends_on: DayText;
}

export interface MemberReminderTable {
  id: Generated<number>;
  territory_id: number;
  member_id: string;
  period_id: number;
  offset_days: number;
  sent_at: Timestamp;
}

// ------------------------------------------------------------------------------------------ bookings
export type BookingResourceKind = 'desk' | 'meeting_room' | 'studio' | 'machine';
export type BookingAudienceRule = 'visitors' | 'members' | 'staff';
export type BookingStatus = 'held' | 'confirmed' | 'cancelled' | 'released';
/** A `tstzrange` written and read as its text form ('[start,end)'); repos select lower()/upper() to read it. */
type Range = ColumnType<string, string, string>;

export interface BookingResourceTable {
  id: Generated<number>;
  territory_id: number;
  place_id: number;
  parent_id: number | null;
  slug: string;
  name: string;
  kind: BookingResourceKind;
  capacity: number;
  description: string;
  equipment: string;
  opening_hours: ColumnType<OpeningHours, string, string>;
  slot_minutes: number;
  min_minutes: number;
  max_minutes: number;
  member_horizon_days: number;
  visitor_horizon_days: number;
  notice_minutes: number;
  cancel_hours: number;
  member_hour_cents: number | null;
  member_half_day_cents: number | null;
  member_day_cents: number | null;
  hour_cents: number | null;
  half_day_cents: number | null;
  day_cents: number | null;
  audience: BookingAudienceRule;
  requires_authorisation: boolean;
  training_kind_id: ColumnType<number | null, number | null | undefined, number | null>;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
  updated_by: string | null;
  /** The current photo (booking_resource_photo), set and removed only by the photo's own use cases. */
  photo_id: ColumnType<string | null, never, string | null>;
  photo_alt: ColumnType<string | null, never, string | null>;
}

export interface BookingResourcePhotoTable {
  id: string;
  resource_id: number;
  territory_id: number;
  image: Buffer;
  created_at: Timestamp;
}

export interface BookingClosureTable {
  id: Generated<number>;
  resource_id: number;
  period: Range;
  reason: ColumnType<string, string | undefined, string>;
  created_by: string | null;
  created_at: Timestamp;
}

export interface BookingTable {
  id: Generated<string>;
  territory_id: number;
  resource_id: number;
  period: Range;
  exclusive: boolean;
  kind: 'booking' | 'block';
  status: BookingStatus;
  audience: 'member' | 'visitor' | 'staff';
  user_id: string | null;
  visitor_name: string | null;
  visitor_email: string | null;
  confirm_token_hash: string | null;
  hold_until: Timestamp | null;
  note: ColumnType<string, string | undefined, string>;
  booked_by: string | null;
  created_at: Timestamp;
  confirmed_at: Timestamp | null;
  cancelled_at: Timestamp | null;
  cancelled_by: string | null;
  presence: ColumnType<BookingPresence | null, BookingPresence | null | undefined, BookingPresence | null>;
  presence_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  presence_by: ColumnType<string | null, string | null | undefined, string | null>;
  series_id: ColumnType<string | null, string | null | undefined, string | null>;
}

/** A weekly series created by the back office; its occurrences are `booking` rows with its id. */
export interface BookingSeriesTable {
  id: Generated<string>;
  territory_id: number;
  resource_id: number;
  kind: 'booking' | 'block';
  weekdays: number[];
  start_minutes: number;
  end_minutes: number;
  first_day: ColumnType<string, string, string>;
  last_day: ColumnType<string, string, string>;
  created_by: string | null;
  created_at: Timestamp;
  cancelled_at: Timestamp | null;
}

export interface BookingFeedTable {
  user_id: string;
  territory_id: number;
  token_hash: string;
  created_at: Timestamp;
}

export interface MemberNoteTable {
  id: Generated<number>;
  territory_id: number;
  member_id: string;
  author_id: string | null;
  source: 'staff' | 'appointment';
  body: string;
  created_at: Timestamp;
}

export type BookingPresence = 'arrived' | 'no_show';

export interface BookingTrainingKindTable {
  id: Generated<number>;
  territory_id: number;
  slug: string;
  name: string;
  validity_months: ColumnType<number, number | undefined, number>;
  lapse_months: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface BookingTrainingSessionTable {
  event_id: number;
  territory_id: number;
  training_kind_id: number;
  created_at: Timestamp;
}

export interface BookingAuthorisationTable {
  id: Generated<number>;
  territory_id: number;
  user_id: string;
  training_kind_id: number;
  event_id: number | null;
  granted_at: Timestamp;
  granted_by: string | null;
  expires_at: Timestamp;
}

export type AppointmentMode = 'place' | 'phone' | 'video';
export type AppointmentOutcome = 'attended' | 'no_show';

export interface AppointmentSlotTable {
  id: Generated<string>;
  territory_id: number;
  adviser_id: string;
  period: Range;
  mode: AppointmentMode;
  place_id: number | null;
  video_url: string | null;
  status: 'open' | 'withdrawn';
  created_by: string | null;
  created_at: Timestamp;
}

export interface AppointmentTable {
  id: Generated<string>;
  territory_id: number;
  slot_id: string;
  user_id: string | null;
  visitor_name: string | null;
  visitor_email: string | null;
  audience: 'candidate' | 'member' | 'visitor';
  project: string;
  status: BookingStatus;
  hold_until: Timestamp | null;
  confirm_token_hash: string | null;
  follow_up: boolean;
  outcome: AppointmentOutcome | null;
  outcome_at: Timestamp | null;
  adviser_note: string | null;
  note_attached_to: 'newcomer_case' | 'member' | null;
  created_at: Timestamp;
  confirmed_at: Timestamp | null;
  cancelled_at: Timestamp | null;
  cancelled_by: string | null;
}

// ---------------------------------------------------------------------------------------------- events

export type EventPlaceKind = 'third_place' | 'commune' | 'address' | 'online';
export type EventAudience = 'public' | 'members' | 'candidates';
export type EventStatus = 'draft' | 'published' | 'cancelled';
export type RegistrationStatus = 'pending' | 'applied' | 'confirmed' | 'waiting' | 'offered' | 'declined' | 'cancelled' | 'lapsed' | 'walk_in';
/** `first_come`: seats in arrival order with a self-running waiting list; `selection`: people apply, the team selects. */
export type RegistrationMode = 'first_come' | 'selection';
export type Attendance = 'present' | 'absent' | 'walk_in';

export interface EventSeriesTable {
  id: Generated<number>;
  territory_id: number;
  rrule: string;
  /** The first occurrence's Paris wall-clock start, `YYYY-MM-DDTHH:MM`: the rule is read against it. */
  first_local: string;
  duration_minutes: number;
  all_day: ColumnType<boolean, boolean | undefined, boolean>;
  /** Occurrences are materialised up to this instant. */
  horizon_at: Timestamp;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface EventTypeTable {
  id: Generated<number>;
  territory_id: number;
  key: string;
  label_fr: string;
  label_en: string;
  position: ColumnType<number, number | undefined, number>;
  hidden: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface EventTable {
  id: Generated<number>;
  territory_id: number;
  slug: string;
  title: string;
  description_md: ColumnType<string, string | undefined, string>;
  type_id: number;
  place_kind: EventPlaceKind;
  third_place_id: number | null;
  insee: string | null;
  address: string | null;
  online_url: string | null;
  starts_at: Timestamp;
  ends_at: Timestamp;
  all_day: ColumnType<boolean, boolean | undefined, boolean>;
  audience: ColumnType<EventAudience, EventAudience | undefined, EventAudience>;
  capacity: number;
  max_seats: ColumnType<number, number | undefined, number>;
  registration_opens_at: Timestamp | null;
  registration_closes_at: Timestamp | null;
  price_member_cents: number | null;
  price_public_cents: number | null;
  organiser: string | null;
  claim_window_hours: ColumnType<number, number | undefined, number>;
  registration_mode: ColumnType<RegistrationMode, RegistrationMode | undefined, RegistrationMode>;
  status: ColumnType<EventStatus, EventStatus | undefined, EventStatus>;
  published_at: Timestamp | null;
  cancelled_at: Timestamp | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  series_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** The occurrence's wall-clock start as its series' rule gave it (its RECURRENCE-ID). */
  occurrence_key: ColumnType<string | null, string | null | undefined, string | null>;
  /** A member's proposal (migration 2026-12-03T1150). */
  proposed_by: ColumnType<string | null, string | null | undefined, string | null>;
  proposal_status: ColumnType<EventProposalStatus | null, EventProposalStatus | null | undefined, EventProposalStatus | null>;
  proposal_message: ColumnType<string | null, string | null | undefined, string | null>;
  /** An event imported from an external feed, keyed by its UID there. */
  import_source_id: ColumnType<number | null, number | null | undefined, number | null>;
  import_uid: ColumnType<string | null, string | null | undefined, string | null>;
  /** The cover image's id (`event_cover`) and the text read in its place (migration 2026-12-04T1210). */
  cover_id: ColumnType<string | null, string | null | undefined, string | null>;
  cover_alt: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface EventCoverTable {
  id: string;
  event_id: number;
  territory_id: number;
  image: Buffer;
  created_at: Timestamp;
}

export type EventProposalStatus = 'pending' | 'approved' | 'declined';

export interface EventImportSourceTable {
  id: Generated<number>;
  territory_id: number;
  name: string;
  url: string;
  insee: string;
  last_fetched_at: Timestamp | null;
  last_error: string | null;
  last_count: number | null;
  /** How often the feed is fetched again on its own, in hours; 0 = only by hand. */
  refresh_hours: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
}

export interface EventRegistrationTable {
  id: Generated<string>;
  territory_id: number;
  event_id: number;
  user_id: string | null;
  /** Null only for a walk-in who gave no address. */
  email: string | null;
  name: string;
  locale: ColumnType<'fr' | 'en', 'fr' | 'en' | undefined, 'fr' | 'en'>;
  seats: number;
  status: RegistrationStatus;
  queue_position: number | null;
  offer_expires_at: Timestamp | null;
  offers_made: ColumnType<number, number | undefined, number>;
  passed_over_notified: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
  confirmed_at: Timestamp | null;
  cancelled_at: Timestamp | null;
  /** When the team last decided on it (selection mode). */
  decided_at: Timestamp | null;
  updated_at: Timestamp;
  attendance: ColumnType<Attendance | null, Attendance | null | undefined, Attendance | null>;
  attendance_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  attendance_by: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface EventFeedTable {
  user_id: string;
  territory_id: number;
  token_hash: string;
  created_at: Timestamp;
}

export type ProfileAudience = 'public' | 'members' | 'staff';

/** A member who no longer wants the team's non-essential group mails (essential ones still go). */
export interface MemberMailOptoutTable {
  member_id: string;
  territory_id: number;
  opted_out_at: Timestamp;
}

export interface MemberProfileTable {
  member_id: string;
  territory_id: number;
  slug: string;
  display_name: string;
  sector: string | null;
  bio: string | null;
  website: string | null;
  languages: ColumnType<string[], string[] | undefined, string[]>;
  open_to_business: ColumnType<boolean, boolean | undefined, boolean>;
  buddy_open: ColumnType<boolean, boolean | undefined, boolean>;
  contact_open: ColumnType<boolean, boolean | undefined, boolean>;
  public_showcase: ColumnType<boolean, boolean | undefined, boolean>;
  visibility: Json<Record<string, ProfileAudience>>;
  search_public: ColumnType<string, string | undefined, string>;
  search_members: ColumnType<string, string | undefined, string>;
  search_public_tsv: ColumnType<string, never, never>;
  search_members_tsv: ColumnType<string, never, never>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface MemberTagTable {
  id: Generated<number>;
  territory_id: number;
  key: string;
  label: string;
  created_at: Timestamp;
  /** How many profiles carry the skill, kept by a trigger on member_profile_tag (never written here). */
  uses: ColumnType<number, never, never>;
}

export interface MemberProfileTagTable {
  member_id: string;
  tag_id: number;
  position: number;
}

/** A member's photo, re-encoded (WebP, no metadata) in two sizes; PGlite reads bytea as Uint8Array, node-postgres as Buffer. */
export interface MemberPhotoTable {
  member_id: string;
  territory_id: number;
  id: string;
  large: Uint8Array;
  small: Uint8Array;
  created_at: Timestamp;
}

export interface MemberContactTable {
  id: Generated<number>;
  territory_id: number;
  recipient_member_id: string | null;
  sender_user_id: string | null;
  sender_email: string | null;
  subject: string | null;
  message: string | null;
  sent_at: Timestamp;
  erased_at: Timestamp | null;
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
  guide_article: GuideArticleTable;
  guide_article_revision: GuideArticleRevisionTable;
  third_place: ThirdPlaceTable;
  dataset: DatasetTable;
  epci: EpciTable;
  commune: CommuneTable;
  commune_boundary: CommuneBoundaryTable;
  station: StationTable;
  reference_point: ReferencePointTable;
  price_reference: PriceReferenceTable;
  cinema: CinemaTable;
  festival: FestivalTable;
  figure_override: FigureOverrideTable;
  record_duplicate: RecordDuplicateTable;
  home_highlight: HomeHighlightTable;
  case_drop_reason: CaseDropReasonTable;
  newcomer_case: NewcomerCaseTable;
  case_adult: CaseAdultTable;
  case_child: CaseChildTable;
  case_commune: CaseCommuneTable;
  case_application: CaseApplicationTable;
  pending_application: PendingApplicationTable;
  case_stage_event: CaseStageEventTable;
  case_note: CaseNoteTable;
  case_task: CaseTaskTable;
  case_checklist_item: CaseChecklistItemTable;
  case_message: CaseMessageTable;
  partner_profile: PartnerProfileTable;
  partner_commune: PartnerCommuneTable;
  case_share: CaseShareTable;
  case_partner_view: CasePartnerViewTable;
  case_partner_note: CasePartnerNoteTable;
  discovery_stay: DiscoveryStayTable;
  stay_programme_item: StayProgrammeItemTable;
  stay_application: StayApplicationTable;
  buddy: BuddyTable;
  case_buddy: CaseBuddyTable;
  case_followup: CaseFollowupTable;
  case_document: CaseDocumentTable;
  offer: OfferTable;
  offer_interest: OfferInterestTable;
  funder_tag: FunderTagTable;
  case_funder_tag: CaseFunderTagTable;
  newcomer_list_version: NewcomerListVersionTable;
  case_funnel: CaseFunnelTable;
  case_flow: CaseFlowTable;
  case_flow_count: CaseFlowCountTable;
  case_page_version: CasePageVersionTable;
  case_page_territory_version: CasePageTerritoryVersionTable;
  member_plan: MemberPlanTable;
  member_counter: MemberCounterTable;
  member_settings: MemberSettingsTable;
  member: MemberTable;
  member_payment: MemberPaymentTable;
  member_import: MemberImportTable;
  membership_period: MembershipPeriodTable;
  member_reminder: MemberReminderTable;
  booking_resource: BookingResourceTable;
  booking_resource_photo: BookingResourcePhotoTable;
  booking_closure: BookingClosureTable;
  booking: BookingTable;
  booking_series: BookingSeriesTable;
  booking_feed: BookingFeedTable;
  member_note: MemberNoteTable;
  booking_training_kind: BookingTrainingKindTable;
  booking_training_session: BookingTrainingSessionTable;
  booking_authorisation: BookingAuthorisationTable;
  appointment_slot: AppointmentSlotTable;
  appointment: AppointmentTable;
  event_type: EventTypeTable;
  event: EventTable;
  event_cover: EventCoverTable;
  event_series: EventSeriesTable;
  event_registration: EventRegistrationTable;
  event_feed: EventFeedTable;
  event_import_source: EventImportSourceTable;
  member_profile: MemberProfileTable;
  member_mail_optout: MemberMailOptoutTable;
  member_tag: MemberTagTable;
  member_profile_tag: MemberProfileTagTable;
  member_contact: MemberContactTable;
  member_photo: MemberPhotoTable;
}

export type { JSONColumnType };
