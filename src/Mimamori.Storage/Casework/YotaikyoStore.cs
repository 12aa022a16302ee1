using Dapper;
using Mimamori.Storage.Connection;
using static Mimamori.Storage.Casework.Rows;

namespace Mimamori.Storage.Casework;

/// <summary>
/// 要対協 (要保護児童対策地域協議会) registrations as the centre records them: registered on a date, ended on a date with
/// a reason. Registrations that arrive in the linked data (the <c>cw.yotaikyo_*</c> facts) count as well wherever the
/// software asks whether a child is registered.
/// </summary>
public sealed class YotaikyoStore
{
    private readonly MimamoriDatabase database;

    public YotaikyoStore(MimamoriDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        this.database = database;
    }

    /// <summary>
    /// A condition on <c>p.person_id</c>: an open registration, either recorded here or in the linked records
    /// (<see cref="Judgement.JudgementStore.OpenYotaikyoCondition"/>).
    /// </summary>
    public const string RegisteredCondition =
        "(EXISTS (SELECT 1 FROM yotaikyo_registration yo WHERE yo.person_id = p.person_id AND yo.ended_on IS NULL) OR " + Judgement.JudgementStore.OpenYotaikyoCondition + ")";

    /// <summary>The worklist condition for a <see cref="YotaikyoFilter"/> value, or null for an unknown one.</summary>
    public static string? FilterCondition(string filter) => filter switch
    {
        YotaikyoFilter.Registered => RegisteredCondition,
        YotaikyoFilter.NotRegistered => "NOT " + RegisteredCondition,
        _ => null,
    };

    /// <summary>Records a registration; returns it.</summary>
    /// <exception cref="ArgumentException">Unknown kind.</exception>
    /// <exception cref="InvalidOperationException">The child already has an open registration.</exception>
    public YotaikyoRegistration Register(long personId, string kind, DateOnly registeredOn, string by, DateTimeOffset now)
    {
        if (!YotaikyoKind.All.Contains(kind))
        {
            throw new ArgumentException($"Unknown 要対協 kind '{kind}'.", nameof(kind));
        }

        var id = Insert(database, "yotaikyo_registration", "registration_id", (c, tx, id) =>
        {
            if (c.ExecuteScalar<long>("SELECT COUNT(*) FROM yotaikyo_registration WHERE person_id = @personId AND ended_on IS NULL", new { personId }, tx) > 0)
            {
                throw new InvalidOperationException($"Person {personId} already has an open 要対協 registration.");
            }

            c.Execute(
                "INSERT INTO yotaikyo_registration (registration_id, person_id, kind, registered_on, ended_on, end_reason, recorded_by, recorded_at) VALUES (@id, @personId, @kind, @on, NULL, NULL, @by, @at)",
                new { id, personId, kind, on = Day(registeredOn), by, at = Stamp(now) },
                tx);
        });
        return Of(personId).Single(r => r.RegistrationId == id);
    }

    /// <summary>Ends an open registration; false when it is not open. The end date cannot precede the registration.</summary>
    public bool End(long registrationId, DateOnly endedOn, string reason, string by, DateTimeOffset now)
    {
        using var connection = database.Open();
        return connection.Execute(
            "UPDATE yotaikyo_registration SET ended_on = @ended, end_reason = @reason, recorded_by = @by, recorded_at = @at WHERE registration_id = @registrationId AND ended_on IS NULL AND registered_on <= @ended",
            new { registrationId, ended = Day(endedOn), reason = reason.Trim(), by, at = Stamp(now) }) == 1;
    }

    /// <summary>A child's registrations, newest first.</summary>
    public IReadOnlyList<YotaikyoRegistration> Of(long personId)
    {
        using var connection = database.Open();
        using var reader = connection.ExecuteReader(
            "SELECT registration_id, person_id, kind, registered_on, ended_on, end_reason, recorded_by, recorded_at FROM yotaikyo_registration WHERE person_id = @personId ORDER BY registration_id DESC",
            new { personId });
        var result = new List<YotaikyoRegistration>();
        while (reader.Read())
        {
            var ended = Text(reader, 4);
            result.Add(new YotaikyoRegistration(Id(reader, 0), Id(reader, 1), reader.GetString(2), ParseDay(reader.GetString(3)), ended is null ? null : ParseDay(ended), Text(reader, 5), reader.GetString(6), Instant(reader.GetString(7))));
        }

        return result;
    }

    /// <summary>True when the linked data hold an open registration for the child (as the worklist counts it).</summary>
    public bool RegisteredInLinkedData(long personId)
    {
        using var connection = database.Open();
        return connection.ExecuteScalar<long>($"SELECT COUNT(*) FROM person p WHERE p.person_id = @personId AND {Judgement.JudgementStore.OpenYotaikyoCondition}", new { personId }) > 0;
    }
}
