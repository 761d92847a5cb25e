import { MigrationInterface, QueryRunner } from "typeorm";

// The first schema. Constraints live here, not only in code: unique slugs, foreign keys,
// ages 0..120 with min <= max, dates in order, no self-referral, and an index per filter.

const KINDS = `'ASSOCIATION','NGO','PUBLIC_AUTHORITY','PUBLIC_SERVICE','EDUCATION_PROVIDER','EMPLOYER','FAITH_BASED','NETWORK','FUNDER','VOLUNTEER_GROUP','OTHER'`;
const CATEGORIES = `'RESETTLEMENT_SUPPORT','SOCIAL_ORIENTATION','HOUSING','LANGUAGE_LEARNING','VOCATIONAL_ORIENTATION','EMPLOYMENT','EDUCATION','MENTORING','SPORT_AND_CULTURE','HEALTH','LEGAL_AID','ADMINISTRATIVE_SUPPORT','VOLUNTEER_MOBILIZATION','MOBILITY','CHILD_PROTECTION','OTHER'`;
const GROUPS = `'RESETTLED_REFUGEE','ASYLUM_SEEKER','BENEFICIARY_OF_PROTECTION','UNACCOMPANIED_MINOR','MIGRANT'`;
const SLUG = `'^[a-z0-9]+(-[a-z0-9]+)*$'`;

function eligibilityChecks(table: string): string {
  return `
    CONSTRAINT ${table}_target_groups_known CHECK (target_groups <@ ARRAY[${GROUPS}]::text[]),
    CONSTRAINT ${table}_min_age_range CHECK (min_age IS NULL OR min_age BETWEEN 0 AND 120),
    CONSTRAINT ${table}_max_age_range CHECK (max_age IS NULL OR max_age BETWEEN 0 AND 120),
    CONSTRAINT ${table}_age_order CHECK (min_age IS NULL OR max_age IS NULL OR min_age <= max_age)`;
}

export class Foundation1764320000000 implements MigrationInterface {
  name = "Foundation1764320000000";

  public async up(q: QueryRunner): Promise<void> {
    // Trigram indexes serve `search` (a substring of the name); PGlite loads the extension from its contrib bundle.
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`
      CREATE TABLE regions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slug text NOT NULL CONSTRAINT regions_slug_unique UNIQUE CONSTRAINT regions_slug_format CHECK (slug ~ ${SLUG}),
        name text NOT NULL CONSTRAINT regions_name_present CHECK (btrim(name) <> ''),
        country char(2) NOT NULL CONSTRAINT regions_country_format CHECK (country ~ '^[A-Z]{2}$'),
        nuts_code text CONSTRAINT regions_nuts_code_format CHECK (nuts_code ~ '^[A-Z]{2}[0-9A-Z]{0,3}$'),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE organizations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slug text NOT NULL CONSTRAINT organizations_slug_unique UNIQUE CONSTRAINT organizations_slug_format CHECK (slug ~ ${SLUG}),
        name text NOT NULL CONSTRAINT organizations_name_present CHECK (btrim(name) <> ''),
        search_name text NOT NULL,
        kind text NOT NULL CONSTRAINT organizations_kind_known CHECK (kind IN (${KINDS})),
        description text,
        website text,
        region_id uuid REFERENCES regions(id) ON DELETE RESTRICT,
        version int NOT NULL DEFAULT 1 CONSTRAINT organizations_version_positive CHECK (version >= 1),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX organizations_name_id ON organizations (name, id)`);
    await q.query(`CREATE INDEX organizations_region_name ON organizations (region_id, name, id)`);
    await q.query(`CREATE INDEX organizations_kind ON organizations (kind)`);
    await q.query(`CREATE INDEX organizations_search_name ON organizations USING gin (search_name gin_trgm_ops)`);

    await q.query(`
      CREATE TABLE services (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        name text NOT NULL CONSTRAINT services_name_present CHECK (btrim(name) <> ''),
        category text NOT NULL CONSTRAINT services_category_known CHECK (category IN (${CATEGORIES})),
        description text,
        target_groups text[] NOT NULL DEFAULT '{}',
        min_age int,
        max_age int,
        position int NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        ${eligibilityChecks("services")}
      )`);
    await q.query(`CREATE INDEX services_organization ON services (organization_id, position)`);
    await q.query(`CREATE INDEX services_category ON services (category, organization_id)`);

    await q.query(`
      CREATE TABLE referrals (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        from_id uuid NOT NULL REFERENCES organizations(id) ON DELETE RESTRICT,
        to_id uuid NOT NULL REFERENCES organizations(id) ON DELETE RESTRICT,
        categories text[] NOT NULL,
        target_groups text[] NOT NULL DEFAULT '{}',
        min_age int,
        max_age int,
        status text NOT NULL DEFAULT 'ACTIVE' CONSTRAINT referrals_status_known CHECK (status IN ('ACTIVE','PILOT','ENDED')),
        since date,
        until date,
        description text,
        source text,
        version int NOT NULL DEFAULT 1 CONSTRAINT referrals_version_positive CHECK (version >= 1),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT referrals_no_self_referral CHECK (from_id <> to_id),
        CONSTRAINT referrals_categories_present CHECK (cardinality(categories) >= 1),
        CONSTRAINT referrals_categories_known CHECK (categories <@ ARRAY[${CATEGORIES}]::text[]),
        CONSTRAINT referrals_date_order CHECK (since IS NULL OR until IS NULL OR since <= until),
        ${eligibilityChecks("referrals")}
      )`);
    await q.query(`CREATE INDEX referrals_from ON referrals (from_id, to_id)`);
    await q.query(`CREATE INDEX referrals_to ON referrals (to_id, from_id)`);
    await q.query(`CREATE INDEX referrals_status ON referrals (status)`);
    await q.query(`CREATE INDEX referrals_categories ON referrals USING gin (categories)`);
    await q.query(`CREATE INDEX referrals_created ON referrals (created_at, id)`);

    await q.query(`
      CREATE TABLE partnerships (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CONSTRAINT partnerships_kind_known CHECK (kind IN ('PARTNERSHIP','FUNDING','COORDINATION','MEMBERSHIP')),
        description text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE partnership_members (
        partnership_id uuid NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        PRIMARY KEY (partnership_id, organization_id)
      )`);
    await q.query(`CREATE INDEX partnership_members_organization ON partnership_members (organization_id)`);

    await q.query(`
      CREATE TABLE platforms (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slug text NOT NULL CONSTRAINT platforms_slug_unique UNIQUE CONSTRAINT platforms_slug_format CHECK (slug ~ ${SLUG}),
        name text NOT NULL,
        region_id uuid NOT NULL REFERENCES regions(id) ON DELETE RESTRICT,
        coordinator_id uuid REFERENCES organizations(id) ON DELETE RESTRICT,
        description text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX platforms_region ON platforms (region_id)`);
    await q.query(`
      CREATE TABLE platform_members (
        platform_id uuid NOT NULL REFERENCES platforms(id) ON DELETE CASCADE,
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        PRIMARY KEY (platform_id, organization_id)
      )`);
    await q.query(`CREATE INDEX platform_members_organization ON platform_members (organization_id)`);
    await q.query(`
      CREATE TABLE meetings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        platform_id uuid NOT NULL REFERENCES platforms(id) ON DELETE CASCADE,
        date date NOT NULL,
        title text NOT NULL,
        format text CONSTRAINT meetings_format_known CHECK (format IN ('ONLINE','IN_PERSON','HYBRID')),
        participant_count int CONSTRAINT meetings_participant_count_positive CHECK (participant_count >= 0),
        topics text[] NOT NULL DEFAULT '{}',
        notes text
      )`);
    await q.query(`CREATE INDEX meetings_platform_date ON meetings (platform_id, date)`);
    await q.query(`
      CREATE TABLE meeting_participants (
        meeting_id uuid NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE RESTRICT,
        role text NOT NULL CONSTRAINT meeting_participants_role_known CHECK (role IN ('ORGANIZER','PRESENTER')),
        PRIMARY KEY (meeting_id, organization_id, role)
      )`);
    await q.query(`CREATE INDEX meeting_participants_organization ON meeting_participants (organization_id)`);

    await q.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        prefix text NOT NULL CONSTRAINT api_keys_prefix_unique UNIQUE,
        secret_hash text NOT NULL,
        role text NOT NULL CONSTRAINT api_keys_role_known CHECK (role IN ('ADMIN','EDITOR','VIEWER')),
        region_ids uuid[] NOT NULL DEFAULT '{}',
        label text,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz,
        revoked_at timestamptz,
        CONSTRAINT api_keys_editor_has_regions CHECK (role <> 'EDITOR' OR cardinality(region_ids) >= 1)
      )`);

    await q.query(`
      CREATE TABLE audit_log (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        at timestamptz NOT NULL DEFAULT now(),
        api_key_id uuid REFERENCES api_keys(id) ON DELETE SET NULL,
        actor text,
        action text NOT NULL CONSTRAINT audit_log_action_known CHECK (action IN ('create','update','delete')),
        entity_type text NOT NULL,
        entity_id uuid NOT NULL,
        before jsonb,
        after jsonb
      )`);
    await q.query(`CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id, at)`);
    await q.query(`CREATE INDEX audit_log_at ON audit_log (at)`);
    await q.query(`CREATE INDEX audit_log_api_key ON audit_log (api_key_id, at)`);

    // One row whose number grows on every write to the graph, so in-memory snapshots know when they are stale.
    await q.query(`
      CREATE TABLE graph_state (
        id int PRIMARY KEY DEFAULT 1 CONSTRAINT graph_state_single_row CHECK (id = 1),
        version bigint NOT NULL DEFAULT 1
      )`);
    await q.query(`INSERT INTO graph_state (id, version) VALUES (1, 1)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const table of [
      "graph_state",
      "audit_log",
      "api_keys",
      "meeting_participants",
      "meetings",
      "platform_members",
      "platforms",
      "partnership_members",
      "partnerships",
      "referrals",
      "services",
      "organizations",
      "regions",
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
