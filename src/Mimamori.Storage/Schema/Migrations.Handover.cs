namespace Mimamori.Storage.Schema;

public static partial class Migrations
{
    /// <summary>
    /// Hand-over packages received from the municipality a family moved from (version 15). The package's content is
    /// kept encrypted at rest (<c>handover_received.content</c>); the sender and its key fingerprint stay in clear so
    /// the list can show where a case came from. A received case is linked, by a person, to the child it is about.
    /// Exports are not a table: each is an audit event (disclose, purpose handover) naming the recipient.
    /// </summary>
    private static (int Version, string Name, string Sql)[] Handover =>
    [
        (15, "handover", """
            CREATE TABLE handover_received (
                handover_id BIGINT PRIMARY KEY,
                sender TEXT NOT NULL,
                sender_key TEXT NOT NULL,
                sender_verified BIGINT NOT NULL,
                package_sha256 TEXT NOT NULL,
                content TEXT NOT NULL,
                received_by TEXT NOT NULL,
                received_at TEXT NOT NULL,
                status TEXT NOT NULL,
                person_id BIGINT,
                linked_by TEXT,
                linked_at TEXT
            );
            CREATE UNIQUE INDEX ux_handover_received_package ON handover_received (package_sha256);
            CREATE INDEX ix_handover_received_status ON handover_received (status);
            """),
    ];
}
