extension SchemaMigration {
    /// Version 5: the outbox as the deliverers use it (docs/POSTGRES.md, "The outbox and its
    /// deliverers"). Every write puts its events in `outbox` in its own transaction; a
    /// deliverer queues each event as one `outbox_jobs` row per target and claims due jobs
    /// with `FOR UPDATE SKIP LOCKED`. Version 1's `delivered_at` becomes `queued_at`: a
    /// delivery is per target, in `outbox_jobs`. `change` is the `store_changes` number of the
    /// write, `event_id` the id receivers deduplicate on.
    static let outboxJobs = SchemaMigration(version: 5, summary: "outbox events and per-target delivery jobs", statements: [
        "ALTER TABLE outbox RENAME COLUMN delivered_at TO queued_at",
        "ALTER INDEX outbox_pending RENAME TO outbox_unqueued",
        "ALTER TABLE outbox ADD COLUMN change bigint",
        "ALTER TABLE outbox ADD COLUMN event_id text",
        // Rows written by hand before this version get an id of their own.
        "UPDATE outbox SET event_id = 'evt_o' || seq WHERE event_id IS NULL",
        "ALTER TABLE outbox ALTER COLUMN event_id SET NOT NULL",
        "ALTER TABLE outbox ADD CONSTRAINT outbox_event_id UNIQUE (event_id)",
        """
        CREATE TABLE outbox_jobs (
            event bigint NOT NULL REFERENCES outbox (seq) ON DELETE CASCADE,
            target text NOT NULL CHECK (target <> ''),
            ordering_key text NOT NULL CHECK (ordering_key <> ''),
            attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
            not_before timestamptz NOT NULL,
            last_error text,
            delivered_at timestamptz,
            dead_at timestamptz,
            CHECK (delivered_at IS NULL OR dead_at IS NULL),
            PRIMARY KEY (event, target)
        )
        """,
        // The jobs still owed: what a claim scans, and what holds a later job of the same
        // target and ordering key back.
        "CREATE INDEX outbox_jobs_owed ON outbox_jobs (event) WHERE delivered_at IS NULL AND dead_at IS NULL",
        "CREATE INDEX outbox_jobs_order ON outbox_jobs (target, ordering_key, event) WHERE delivered_at IS NULL AND dead_at IS NULL",
    ])
}
