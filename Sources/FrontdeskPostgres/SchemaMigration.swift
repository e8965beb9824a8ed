/// One step of the PostgreSQL schema: the statements that take a database from version
/// `version - 1` to `version`, applied in one transaction by ``SchemaMigrator``.
///
/// A released migration is never edited: a change to the schema is a new migration.
public struct SchemaMigration: Sendable {
    /// The schema version after this step (1, 2, …, without gaps).
    public var version: Int
    /// One line saying what the step does, stored in `schema_version`.
    public var summary: String
    /// SQL statements, one per element (the extended protocol runs one statement at a time).
    public var statements: [String]

    public init(version: Int, summary: String, statements: [String]) {
        self.version = version; self.summary = summary; self.statements = statements
    }

    /// Every migration, in version order.
    public static let all: [SchemaMigration] = [initial, documents, occupancyFromRow, ledgerFromDocument, outboxJobs]

    /// The newest version this program knows.
    public static var latestVersion: Int { all.last?.version ?? 0 }

    /// The statuses in which a booking holds its slot (`BookingStatus.occupiesSlot`).
    static let blockingStatuses = "'pending_payment', 'tentative', 'confirmed', 'completed'"
    /// Every status (`BookingStatus.allCases`).
    static let allStatuses = "'pending_payment', 'tentative', 'confirmed', 'completed', 'cancelled', 'no_show'"

    /// Version 1: reference data, bookings (month partitions) with their resources and history,
    /// the occupancy table that carries the no-overlap rule, idempotency keys, payments, audit
    /// and the outbox. See docs/POSTGRES.md for why occupancy is a table of its own.
    static let initial = SchemaMigration(version: 1, summary: "initial schema", statements: [
        // btree_gist lets one GiST index compare a resource id by equality and a range by
        // overlap; it is a trusted extension, so a database owner may create it.
        "CREATE EXTENSION IF NOT EXISTS btree_gist",

        """
        CREATE TABLE settings (
            key text PRIMARY KEY CHECK (key <> ''),
            value jsonb NOT NULL
        )
        """,
        """
        CREATE TABLE schedules (
            id text PRIMARY KEY CHECK (id <> ''),
            name text NOT NULL CHECK (name <> ''),
            body jsonb NOT NULL,
            version integer NOT NULL CHECK (version >= 1)
        )
        """,
        """
        CREATE TABLE resources (
            id text PRIMARY KEY CHECK (id <> ''),
            ref text NOT NULL UNIQUE CHECK (ref <> ''),
            name text NOT NULL CHECK (name <> ''),
            kind text NOT NULL CHECK (kind <> ''),
            parent text REFERENCES resources (id),
            zone text NOT NULL CHECK (zone <> ''),
            slot_length interval NOT NULL CHECK (slot_length > interval '0'),
            schedule text REFERENCES schedules (id),
            buffer_before interval NOT NULL DEFAULT interval '0' CHECK (buffer_before >= interval '0'),
            buffer_after interval NOT NULL DEFAULT interval '0' CHECK (buffer_after >= interval '0'),
            policy jsonb NOT NULL DEFAULT '{}',
            tags text[] NOT NULL DEFAULT '{}',
            archived boolean NOT NULL DEFAULT false,
            version integer NOT NULL CHECK (version >= 1),
            CHECK (parent IS NULL OR parent <> id)
        )
        """,
        """
        CREATE TABLE customers (
            id text PRIMARY KEY CHECK (id <> ''),
            ref text NOT NULL UNIQUE CHECK (ref <> ''),
            name text NOT NULL,
            phone text,
            email text,
            notes text,
            tags text[] NOT NULL DEFAULT '{}',
            merged_into text REFERENCES customers (id),
            erased boolean NOT NULL DEFAULT false,
            version integer NOT NULL CHECK (version >= 1),
            CHECK (merged_into IS NULL OR merged_into <> id)
        )
        """,
        "CREATE INDEX customers_phone ON customers (phone) WHERE phone IS NOT NULL",
        "CREATE INDEX customers_email ON customers (lower(email)) WHERE email IS NOT NULL",
        """
        CREATE TABLE services (
            id text PRIMARY KEY CHECK (id <> ''),
            ref text NOT NULL UNIQUE CHECK (ref <> ''),
            name text NOT NULL CHECK (name <> ''),
            duration interval NOT NULL CHECK (duration > interval '0'),
            price_minor bigint CHECK (price_minor >= 0),
            body jsonb NOT NULL DEFAULT '{}',
            archived boolean NOT NULL DEFAULT false,
            version integer NOT NULL CHECK (version >= 1)
        )
        """,
        """
        CREATE TABLE staff (
            subject text PRIMARY KEY CHECK (subject LIKE 'user:_%' OR subject LIKE 'group:_%' OR subject LIKE 'token:_%'),
            role text NOT NULL CHECK (role IN ('viewer', 'desk', 'manager', 'admin')),
            version integer NOT NULL CHECK (version >= 1)
        )
        """,
        """
        CREATE TABLE waitlist (
            id text PRIMARY KEY CHECK (id <> ''),
            customer text REFERENCES customers (id),
            body jsonb NOT NULL,
            version integer NOT NULL CHECK (version >= 1)
        )
        """,

        // A booking's id and reference, unique across every month: a unique index on a
        // partitioned table must contain the partition key, so it cannot say this itself.
        """
        CREATE TABLE booking_keys (
            id text PRIMARY KEY CHECK (id <> ''),
            ref text NOT NULL UNIQUE CHECK (ref <> ''),
            UNIQUE (id, ref)
        )
        """,
        """
        CREATE TABLE bookings (
            id text NOT NULL,
            ref text NOT NULL,
            resource text NOT NULL REFERENCES resources (id),
            service text REFERENCES services (id),
            customer text REFERENCES customers (id),
            start_at timestamptz NOT NULL,
            end_at timestamptz NOT NULL,
            buffer_before interval NOT NULL DEFAULT interval '0' CHECK (buffer_before >= interval '0'),
            buffer_after interval NOT NULL DEFAULT interval '0' CHECK (buffer_after >= interval '0'),
            status text NOT NULL CHECK (status IN (\(allStatuses))),
            hold_expires_at timestamptz,
            cancelled_at timestamptz,
            cancellation jsonb,
            series text,
            occurrence_date date,
            notes text NOT NULL DEFAULT '',
            idempotency_key text,
            override_reason text,
            reminder_sent_at timestamptz,
            charges jsonb,
            created_by jsonb NOT NULL,
            updated_by jsonb NOT NULL,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            version integer NOT NULL CHECK (version >= 1),
            PRIMARY KEY (id, start_at),
            FOREIGN KEY (id, ref) REFERENCES booking_keys (id, ref) ON DELETE CASCADE ON UPDATE CASCADE,
            CONSTRAINT bookings_ends_after_start CHECK (end_at > start_at),
            CHECK (updated_at >= created_at),
            -- The end states of the transitions: a cancelled booking says when and why; a hold
            -- says until when; a booking that is not cancelled carries no cancellation.
            CONSTRAINT bookings_cancellation_iff_cancelled
                CHECK ((status = 'cancelled') = (cancellation IS NOT NULL AND cancelled_at IS NOT NULL)),
            CONSTRAINT bookings_hold_has_expiry CHECK (status <> 'pending_payment' OR hold_expires_at IS NOT NULL),
            CHECK ((series IS NULL) = (occurrence_date IS NULL))
        ) PARTITION BY RANGE (start_at)
        """,
        "CREATE INDEX bookings_resource_start ON bookings (resource, start_at)",
        "CREATE INDEX bookings_customer_start ON bookings (customer, start_at) WHERE customer IS NOT NULL",
        "CREATE INDEX bookings_series ON bookings (series) WHERE series IS NOT NULL",
        // Every month before the first one created holds nothing; a booking in a month without
        // its partition is refused ("no partition of relation"), so the program creates a
        // month with frontdesk_ensure_month before it writes into it.
        """
        CREATE FUNCTION frontdesk_ensure_month(at timestamptz) RETURNS text
        LANGUAGE plpgsql AS $$
        DECLARE
            first timestamptz := date_trunc('month', at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
            name text := 'bookings_' || to_char(first AT TIME ZONE 'UTC', 'YYYY_MM');
        BEGIN
            IF to_regclass(name) IS NULL THEN
                EXECUTE format('CREATE TABLE %I PARTITION OF bookings FOR VALUES FROM (%L) TO (%L)',
                               name, first, first + interval '1 month');
            END IF;
            RETURN name;
        END
        $$
        """,
        // The resources a booking holds besides its home resource (`bookings.resource`).
        """
        CREATE TABLE booking_resources (
            booking text NOT NULL REFERENCES booking_keys (id) ON DELETE CASCADE,
            resource text NOT NULL REFERENCES resources (id),
            position smallint NOT NULL CHECK (position >= 1),
            PRIMARY KEY (booking, resource),
            UNIQUE (booking, position)
        )
        """,
        // One row per blocking booking and resource it holds, with its buffer-widened range.
        // Unpartitioned, so the exclusion constraint sees every month at once: a booking that
        // crosses midnight at the end of a month is compared with both months' bookings.
        // Deferred to commit, so a transaction may swap two bookings' slots.
        """
        CREATE TABLE occupancy (
            booking text NOT NULL REFERENCES booking_keys (id) ON DELETE CASCADE,
            resource text NOT NULL REFERENCES resources (id),
            span tstzrange NOT NULL CHECK (NOT isempty(span) AND NOT lower_inf(span) AND NOT upper_inf(span)),
            PRIMARY KEY (booking, resource),
            CONSTRAINT occupancy_no_overlap EXCLUDE USING gist (resource WITH =, span WITH &&)
                DEFERRABLE INITIALLY DEFERRED
        )
        """,
        // Occupancy follows bookings and booking_resources by trigger, so no writer (the
        // program or plain SQL) can store a blocking booking without its rows.
        """
        CREATE FUNCTION frontdesk_sync_occupancy(b text) RETURNS void
        LANGUAGE plpgsql AS $$
        BEGIN
            DELETE FROM occupancy WHERE booking = b;
            INSERT INTO occupancy (booking, resource, span)
            SELECT k.id, r.resource, tstzrange(k.start_at - k.buffer_before, k.end_at + k.buffer_after, '[)')
            FROM bookings k
            CROSS JOIN LATERAL (
                SELECT k.resource
                UNION
                SELECT br.resource FROM booking_resources br WHERE br.booking = k.id
            ) r
            WHERE k.id = b AND k.status IN (\(blockingStatuses));
        END
        $$
        """,
        """
        CREATE FUNCTION frontdesk_bookings_changed() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM frontdesk_sync_occupancy(OLD.id); END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') AND (TG_OP = 'INSERT' OR NEW.id <> OLD.id) THEN
                PERFORM frontdesk_sync_occupancy(NEW.id);
            END IF;
            RETURN NULL;
        END
        $$
        """,
        """
        CREATE TRIGGER bookings_occupancy AFTER INSERT OR UPDATE OR DELETE ON bookings
        FOR EACH ROW EXECUTE FUNCTION frontdesk_bookings_changed()
        """,
        """
        CREATE FUNCTION frontdesk_booking_resources_changed() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM frontdesk_sync_occupancy(OLD.booking); END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') THEN PERFORM frontdesk_sync_occupancy(NEW.booking); END IF;
            RETURN NULL;
        END
        $$
        """,
        """
        CREATE TRIGGER booking_resources_occupancy AFTER INSERT OR UPDATE OR DELETE ON booking_resources
        FOR EACH ROW EXECUTE FUNCTION frontdesk_booking_resources_changed()
        """,

        """
        CREATE TABLE booking_history (
            booking text NOT NULL REFERENCES booking_keys (id) ON DELETE CASCADE,
            seq integer NOT NULL CHECK (seq >= 1),
            at timestamptz NOT NULL,
            actor jsonb NOT NULL,
            action text NOT NULL CHECK (action <> ''),
            changes text[] NOT NULL DEFAULT '{}',
            version integer NOT NULL CHECK (version >= 1),
            PRIMARY KEY (booking, seq)
        )
        """,
        // The answer to the first request with a key, given again to every retry with it; the
        // fingerprint tells a retry from a different request reusing the key.
        """
        CREATE TABLE idempotency_keys (
            key text PRIMARY KEY CHECK (key <> '' AND length(key) <= 255),
            fingerprint text NOT NULL,
            booking text REFERENCES booking_keys (id) ON DELETE SET NULL,
            response jsonb NOT NULL,
            created_at timestamptz NOT NULL
        )
        """,
        """
        CREATE TABLE payments (
            id text PRIMARY KEY CHECK (id <> ''),
            booking text NOT NULL REFERENCES booking_keys (id),
            kind text NOT NULL CHECK (kind IN ('payment', 'refund')),
            amount_minor bigint NOT NULL CHECK (amount_minor > 0),
            currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
            method text,
            reference text UNIQUE,
            at timestamptz NOT NULL,
            actor jsonb NOT NULL
        )
        """,
        "CREATE INDEX payments_booking ON payments (booking)",
        """
        CREATE TABLE audit (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            at timestamptz NOT NULL,
            actor jsonb NOT NULL,
            action text NOT NULL CHECK (action <> ''),
            entry jsonb NOT NULL
        )
        """,
        // Lifecycle events for the deliverers, in commit order per writer; several deliverers
        // take rows with FOR UPDATE SKIP LOCKED.
        """
        CREATE TABLE outbox (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            at timestamptz NOT NULL,
            kind text NOT NULL CHECK (kind <> ''),
            booking text REFERENCES booking_keys (id) ON DELETE SET NULL,
            payload jsonb NOT NULL,
            delivered_at timestamptz
        )
        """,
        "CREATE INDEX outbox_pending ON outbox (seq) WHERE delivered_at IS NULL",
    ])

    /// Version 2: what the booking path (``PostgresBookingStorage``) needs beside version 1's
    /// columns: each object's canonical document (`doc`, the journal's mutation object, read
    /// back with the file store's codec), customers' index keys, a removed staff grant (no
    /// role), the reference counters, and the change sequence whose row every write locks
    /// first (see docs/POSTGRES.md, "Writing").
    static let documents = SchemaMigration(version: 2, summary: "documents, customer keys, counters, change sequence", statements: [
        "ALTER TABLE bookings ADD COLUMN doc jsonb",
        "ALTER TABLE resources ADD COLUMN doc jsonb",
        "ALTER TABLE customers ADD COLUMN doc jsonb",
        "ALTER TABLE staff ADD COLUMN doc jsonb",
        "ALTER TABLE idempotency_keys ADD COLUMN doc jsonb",
        // A grant that was removed is kept (with no role), as the file store keeps it.
        "ALTER TABLE staff ALTER COLUMN role DROP NOT NULL",
        // `CustomerKey.keys`: folded name, reference, phone and e-mail, each prefixed by kind.
        "ALTER TABLE customers ADD COLUMN keys text[] NOT NULL DEFAULT '{}'",
        "CREATE INDEX customers_keys ON customers USING gin (keys)",
        // `CustomerKey.nameSearchKeys`: the folded name and its rest from each later word, so
        // search-as-you-type is a prefix scan of one btree.
        """
        CREATE TABLE customer_name_keys (
            customer text NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
            key text NOT NULL,
            PRIMARY KEY (customer, key)
        )
        """,
        "CREATE INDEX customer_name_keys_prefix ON customer_name_keys (key text_pattern_ops)",
        "CREATE INDEX bookings_ref ON bookings (ref)",
        "CREATE INDEX bookings_id ON bookings (id)",
        """
        CREATE TABLE counters (
            singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
            doc jsonb NOT NULL
        )
        """,
        // One row: the number of the last committed change. A write locks it first (UPDATE),
        // which orders writers as the file store's lock does; readers compare it to see
        // whether anything changed.
        """
        CREATE TABLE store_changes (
            singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
            seq bigint NOT NULL CHECK (seq >= 0)
        )
        """,
        "INSERT INTO store_changes (singleton, seq) VALUES (true, 0)",
    ])

    /// Version 3: the trigger on `bookings` writes a booking's occupancy from the row it fired
    /// for (`NEW`) instead of looking the booking up again: the lookup by id probes every month's
    /// partition and is planned again on each call, the largest cost of a bulk insert (`frontdesk
    /// migrate`; figures in docs/POSTGRES.md). `booking_resources` keeps its trigger, which must
    /// read the booking. What the rows hold is unchanged.
    static let occupancyFromRow = SchemaMigration(version: 3, summary: "occupancy trigger writes from the row", statements: [
        """
        CREATE OR REPLACE FUNCTION frontdesk_bookings_changed() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP IN ('UPDATE', 'DELETE') THEN DELETE FROM occupancy WHERE booking = OLD.id; END IF;
            IF TG_OP = 'UPDATE' AND NEW.id <> OLD.id THEN DELETE FROM occupancy WHERE booking = NEW.id; END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status IN (\(blockingStatuses)) THEN
                INSERT INTO occupancy (booking, resource, span)
                SELECT NEW.id, r.resource, tstzrange(NEW.start_at - NEW.buffer_before, NEW.end_at + NEW.buffer_after, '[)')
                FROM (SELECT NEW.resource AS resource
                      UNION
                      SELECT br.resource FROM booking_resources br WHERE br.booking = NEW.id) r;
            END IF;
            RETURN NULL;
        END
        $$
        """,
    ])

    /// Version 4: `booking_history` and `payments` filled from each booking's document, by
    /// trigger, so no writer (the program, `migrate`'s bulk statements, plain SQL) can leave
    /// them behind; existing bookings are copied in. `payments` takes every kind of ledger entry
    /// (fees and their reversals too), keeps the ledger's order (`position`) and the payment's
    /// idempotency key, and no longer asks references to be unique: a desk's receipt number or a
    /// fee's reason (`no-show`) repeats across bookings, and an entry without one has `''`.
    ///
    /// It also indexes booking search (``SearchWords``): `bookings.search_tokens` holds the
    /// folded tokens of a booking's reference and notes, computed by the program (the folding
    /// is the program's, accents and all) and written with the row; a trigger copies them into
    /// `booking_tokens`, whose `text_pattern_ops` index answers "a token starting with …". A
    /// booking stored before this version has no tokens (NULL) and is searched from its
    /// document until it is written again.
    ///
    /// And it bounds range reads: `booking_extent` keeps the longest booking, so a read of a
    /// range asks only for bookings starting at most that long before it (the months' partitions
    /// before are not read), and `booking_resources` gains an index by resource.
    static let ledgerFromDocument = SchemaMigration(version: 4, summary: "history and payments rows from the booking document; search tokens", statements: [
        "DELETE FROM payments",
        "DELETE FROM booking_history",
        "ALTER TABLE payments DROP CONSTRAINT payments_kind_check",
        "ALTER TABLE payments ADD CONSTRAINT payments_kind_check CHECK (kind IN ('payment', 'refund', 'fee', 'fee_reversal'))",
        "ALTER TABLE payments DROP CONSTRAINT payments_reference_key",
        "ALTER TABLE payments ALTER COLUMN reference SET DEFAULT ''",
        "ALTER TABLE payments ALTER COLUMN reference SET NOT NULL",
        "ALTER TABLE payments ADD COLUMN position integer NOT NULL CHECK (position >= 1)",
        "ALTER TABLE payments ADD COLUMN idempotency_key text",
        "ALTER TABLE payments ADD CONSTRAINT payments_position UNIQUE (booking, position)",
        // What the engine's `LedgerEntry` promises: money taken names how; a fee and its reversal name no method.
        "ALTER TABLE payments ADD CONSTRAINT payments_payment_has_method CHECK (kind <> 'payment' OR method IS NOT NULL)",
        "ALTER TABLE payments ADD CONSTRAINT payments_fee_has_no_method CHECK (kind IN ('payment', 'refund') OR method IS NULL)",
        """
        CREATE FUNCTION frontdesk_booking_ledger() RETURNS trigger
        LANGUAGE plpgsql AS $$
        DECLARE
            history jsonb := NEW.doc->'booking'->'history';
            charges jsonb := NEW.doc->'booking'->'charges';
        BEGIN
            IF TG_OP = 'INSERT' OR OLD.id <> NEW.id OR (OLD.doc->'booking'->'history') IS DISTINCT FROM history THEN
                IF TG_OP = 'UPDATE' THEN DELETE FROM booking_history WHERE booking = OLD.id; END IF;
                INSERT INTO booking_history (booking, seq, at, actor, action, changes, version)
                SELECT NEW.id, h.n, (h.e->>'at')::timestamptz, h.e->'actor', h.e->>'action',
                       ARRAY(SELECT jsonb_array_elements_text(h.e->'changes')), (h.e->>'version')::integer
                FROM jsonb_array_elements(COALESCE(history, '[]')) WITH ORDINALITY AS h(e, n);
            END IF;
            IF TG_OP = 'INSERT' OR OLD.id <> NEW.id OR (OLD.doc->'booking'->'charges'->'ledger') IS DISTINCT FROM (charges->'ledger') THEN
                IF TG_OP = 'UPDATE' THEN DELETE FROM payments WHERE booking = OLD.id; END IF;
                INSERT INTO payments (id, booking, kind, amount_minor, currency, method, reference, at, actor, idempotency_key, position)
                SELECT p.e->>'id', NEW.id, p.e->>'kind', (p.e->>'amount')::bigint, charges->>'currency', p.e->>'method',
                       COALESCE(p.e->>'reference', ''), (p.e->>'at')::timestamptz, p.e->'actor', p.e->>'idempotencyKey', p.n
                FROM jsonb_array_elements(COALESCE(charges->'ledger', '[]')) WITH ORDINALITY AS p(e, n);
            END IF;
            RETURN NULL;
        END
        $$
        """,
        """
        CREATE TRIGGER bookings_ledger AFTER INSERT OR UPDATE OF id, doc ON bookings
        FOR EACH ROW EXECUTE FUNCTION frontdesk_booking_ledger()
        """,
        "ALTER TABLE bookings ADD COLUMN search_tokens text[]",
        """
        CREATE TABLE booking_tokens (
            booking text NOT NULL REFERENCES booking_keys (id) ON DELETE CASCADE,
            token text NOT NULL CHECK (token <> ''),
            PRIMARY KEY (booking, token)
        )
        """,
        "CREATE INDEX booking_tokens_prefix ON booking_tokens (token text_pattern_ops)",
        "CREATE INDEX bookings_untokenized ON bookings (start_at) WHERE search_tokens IS NULL",
        // The longest booking ever stored (it never shrinks): a range read bounds `start_at` from
        // below by it, so only the months that can reach the range are read. The trigger writes
        // the row only when a booking is longer than any before.
        """
        CREATE TABLE booking_extent (
            singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
            longest interval NOT NULL CHECK (longest >= interval '0')
        )
        """,
        "INSERT INTO booking_extent (singleton, longest) SELECT true, COALESCE(max(end_at - start_at), interval '0') FROM bookings",
        """
        CREATE FUNCTION frontdesk_booking_extent() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE booking_extent SET longest = NEW.end_at - NEW.start_at WHERE longest < NEW.end_at - NEW.start_at;
            RETURN NULL;
        END
        $$
        """,
        """
        CREATE TRIGGER bookings_extent AFTER INSERT OR UPDATE OF start_at, end_at ON bookings
        FOR EACH ROW EXECUTE FUNCTION frontdesk_booking_extent()
        """,
        // A booking's other resources by resource, for a resource's range read.
        "CREATE INDEX booking_resources_resource ON booking_resources (resource)",
        """
        CREATE FUNCTION frontdesk_booking_tokens() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' THEN DELETE FROM booking_tokens WHERE booking = OLD.id; END IF;
            INSERT INTO booking_tokens (booking, token)
            SELECT DISTINCT NEW.id, t FROM unnest(COALESCE(NEW.search_tokens, '{}')) AS t WHERE t <> '';
            RETURN NULL;
        END
        $$
        """,
        """
        CREATE TRIGGER bookings_tokens AFTER INSERT OR UPDATE OF id, search_tokens ON bookings
        FOR EACH ROW EXECUTE FUNCTION frontdesk_booking_tokens()
        """,
        """
        INSERT INTO booking_history (booking, seq, at, actor, action, changes, version)
        SELECT b.id, h.n, (h.e->>'at')::timestamptz, h.e->'actor', h.e->>'action',
               ARRAY(SELECT jsonb_array_elements_text(h.e->'changes')), (h.e->>'version')::integer
        FROM bookings b, jsonb_array_elements(COALESCE(b.doc->'booking'->'history', '[]')) WITH ORDINALITY AS h(e, n)
        """,
        """
        INSERT INTO payments (id, booking, kind, amount_minor, currency, method, reference, at, actor, idempotency_key, position)
        SELECT p.e->>'id', b.id, p.e->>'kind', (p.e->>'amount')::bigint, b.doc->'booking'->'charges'->>'currency', p.e->>'method',
               COALESCE(p.e->>'reference', ''), (p.e->>'at')::timestamptz, p.e->'actor', p.e->>'idempotencyKey', p.n
        FROM bookings b, jsonb_array_elements(COALESCE(b.doc->'booking'->'charges'->'ledger', '[]')) WITH ORDINALITY AS p(e, n)
        """,
    ])
}
