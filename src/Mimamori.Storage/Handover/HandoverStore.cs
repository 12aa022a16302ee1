using System.Security.Cryptography;
using System.Text;
using Dapper;
using Mimamori.Kernel.Text;
using Mimamori.Privacy.Handover;
using Mimamori.Storage.Connection;
using static Mimamori.Storage.Casework.Rows;

namespace Mimamori.Storage.Handover;

/// <summary>States of a received hand-over.</summary>
public static class HandoverStatus
{
    /// <summary>Imported; nobody has yet said which child it is about.</summary>
    public const string New = "new";

    /// <summary>A member of staff linked it to a child in the store.</summary>
    public const string Linked = "linked";
}

/// <summary>A received hand-over, its content opened.</summary>
/// <param name="SenderVerified">True when the import checked the signature against a sender key file the receiver holds.</param>
public sealed record ReceivedHandover(
    long HandoverId,
    string Sender,
    string SenderKey,
    bool SenderVerified,
    string PackageSha256,
    HandoverContent Content,
    string ReceivedBy,
    DateTimeOffset ReceivedAt,
    string Status,
    long? PersonId,
    string? LinkedBy,
    DateTimeOffset? LinkedAt);

/// <summary>A person in the store who may be the child of a received hand-over (same birth date and name or reading).</summary>
public sealed record HandoverCandidate(long PersonId, string FamilyName, string GivenName, string FamilyKana, string GivenKana, string? BirthDate);

/// <summary>
/// Hand-overs received from other municipalities. The content is sealed with the data key
/// (<c>handover_received.content</c>); a package is imported once (by its SHA-256). Matching to a person uses the
/// linkage's name keys: width, spaces and 異体字 folded for names, katakana for readings, and the exact birth date.
/// </summary>
public sealed class HandoverStore
{
    private const string Column = "handover_received.content";
    private const string Columns = "handover_id, sender, sender_key, sender_verified, package_sha256, content, received_by, received_at, status, person_id, linked_by, linked_at";
    private readonly MimamoriDatabase database;

    public HandoverStore(MimamoriDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        this.database = database;
    }

    /// <summary>The SHA-256 (hex) by which a package file is recognised when imported again.</summary>
    public static string Sha256(string packageText) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(packageText ?? string.Empty)));

    /// <summary>Stores an opened package; returns it.</summary>
    /// <exception cref="InvalidOperationException">The same package was imported before.</exception>
    public ReceivedHandover Receive(string sender, string senderKey, bool senderVerified, string packageSha256, HandoverContent content, string receivedBy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(content);
        var id = Insert(database, "handover_received", "handover_id", (c, tx, id) =>
        {
            if (c.ExecuteScalar<long>("SELECT COUNT(*) FROM handover_received WHERE package_sha256 = @packageSha256", new { packageSha256 }, tx) > 0)
            {
                throw new InvalidOperationException($"This package (SHA-256 {packageSha256[..16]}…) was imported before.");
            }

            c.Execute(
                $"INSERT INTO handover_received ({Columns}) VALUES (@id, @sender, @senderKey, @verified, @packageSha256, @content, @receivedBy, @at, @status, NULL, NULL, NULL)",
                new
                {
                    id,
                    sender,
                    senderKey,
                    verified = senderVerified ? 1L : 0L,
                    packageSha256,
                    content = database.Cipher.Seal(Encoding.UTF8.GetString(content.ToJson()), Column),
                    receivedBy,
                    at = Stamp(now),
                    status = HandoverStatus.New,
                },
                tx);
        });
        return Find(id)!;
    }

    /// <summary>
    /// Checks, opens and stores a package file's text with the receiving municipality's key; with
    /// <paramref name="sender"/>, only a package signed by that key is accepted.
    /// </summary>
    /// <exception cref="HandoverException">Not for this key, not from the sender, altered or damaged.</exception>
    /// <exception cref="InvalidOperationException">The same package was imported before.</exception>
    public ReceivedHandover Import(string packageText, HandoverPrivateKey key, HandoverPublicKey? sender, string receivedBy, DateTimeOffset now, string where)
    {
        var opened = HandoverPackage.Open(packageText, key, sender, where);
        HandoverContent content;
        try
        {
            content = HandoverContent.Parse(opened.Content);
        }
        catch (InvalidDataException e)
        {
            throw new HandoverException($"{where}: {e.Message}", e);
        }

        return Receive(opened.Sender.Municipality, opened.Sender.Fingerprint, opened.SenderKnown, Sha256(packageText), content, receivedBy, now);
    }

    /// <summary>Every received hand-over, new ones first, then newest first.</summary>
    public IReadOnlyList<ReceivedHandover> All()
    {
        using var connection = database.Open();
        return Read(connection, "ORDER BY CASE WHEN status = 'new' THEN 0 ELSE 1 END, handover_id DESC", null);
    }

    /// <summary>One received hand-over, or null.</summary>
    public ReceivedHandover? Find(long handoverId)
    {
        using var connection = database.Open();
        return Read(connection, "WHERE handover_id = @handoverId", new { handoverId }).SingleOrDefault();
    }

    /// <summary>Links a received hand-over to a child; false when there is no such hand-over or person.</summary>
    public bool Link(long handoverId, long personId, string by, DateTimeOffset now)
    {
        using var connection = database.Open();
        if (connection.ExecuteScalar<long>("SELECT COUNT(*) FROM person WHERE person_id = @personId", new { personId }) == 0)
        {
            return false;
        }

        return connection.Execute(
            "UPDATE handover_received SET status = @linked, person_id = @personId, linked_by = @by, linked_at = @at WHERE handover_id = @handoverId",
            new { handoverId, personId, by, at = Stamp(now), linked = HandoverStatus.Linked }) == 1;
    }

    /// <summary>
    /// People in the store with the child's birth date whose folded name or katakana reading equals the child's: the
    /// candidates a caseworker confirms. Nothing is linked automatically.
    /// </summary>
    public IReadOnlyList<HandoverCandidate> Candidates(HandoverPerson child)
    {
        ArgumentNullException.ThrowIfNull(child);
        if (string.IsNullOrEmpty(child.BirthDate))
        {
            return [];
        }

        var name = JapaneseText.NameKey(child.FamilyName + child.GivenName);
        var reading = JapaneseText.ReadingKey(child.FamilyKana + child.GivenKana);
        using var connection = database.Open();
        return connection.Query<HandoverCandidate>(
                "SELECT person_id AS PersonId, family_name AS FamilyName, given_name AS GivenName, family_kana AS FamilyKana, given_kana AS GivenKana, birth_date AS BirthDate FROM person WHERE birth_date = @birth ORDER BY person_id",
                new { birth = child.BirthDate })
            .Where(p => (name.Length > 0 && JapaneseText.NameKey(p.FamilyName + p.GivenName) == name)
                || (reading.Length > 0 && JapaneseText.ReadingKey(p.FamilyKana + p.GivenKana) == reading))
            .ToList();
    }

    private List<ReceivedHandover> Read(System.Data.Common.DbConnection connection, string where, object? args)
    {
        using var reader = connection.ExecuteReader($"SELECT {Columns} FROM handover_received {where}", args);
        var result = new List<ReceivedHandover>();
        while (reader.Read())
        {
            var linkedAt = Text(reader, 11);
            result.Add(new ReceivedHandover(
                Id(reader, 0),
                reader.GetString(1),
                reader.GetString(2),
                Id(reader, 3) == 1,
                reader.GetString(4),
                HandoverContent.Parse(Encoding.UTF8.GetBytes(database.Cipher.Open(reader.GetString(5), Column)!)),
                reader.GetString(6),
                Instant(reader.GetString(7)),
                reader.GetString(8),
                Number(reader, 9),
                Text(reader, 10),
                linkedAt is null ? null : Instant(linkedAt)));
        }

        return result;
    }
}
