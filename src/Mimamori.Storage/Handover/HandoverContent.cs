using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mimamori.Storage.Handover;

/// <summary>
/// What a hand-over package carries, and nothing more: who the child and the guardians are, where the family went,
/// how the child is supported and by whom, the latest decision with its reasons, and whom to call. Scores, model
/// explanations, source records and tax values are never part of it; <see cref="Fields"/> is the documented list
/// (docs/casework.md) and the tests compare every package against it.
/// </summary>
/// <param name="Schema">The content's format, <see cref="SchemaName"/>.</param>
/// <param name="ProducedAt">When the package was made (UTC, ISO 8601).</param>
/// <param name="Basis">The legal basis or consent it was sent under.</param>
/// <param name="Child">The child.</param>
/// <param name="Guardians">The adults of the child's household.</param>
/// <param name="Move">The 転出 as the registry or staff recorded it: date and new address, when known.</param>
/// <param name="Yotaikyo">The 要対協 registration.</param>
/// <param name="Plans">The active support plans.</param>
/// <param name="OpenTasks">The tasks of those plans not yet done.</param>
/// <param name="LatestDecision">The current decision about the child, or null.</param>
/// <param name="Caseworker">Whom the receiving centre contacts.</param>
public sealed record HandoverContent(
    string Schema,
    string ProducedAt,
    HandoverBasis Basis,
    HandoverPerson Child,
    IReadOnlyList<HandoverGuardian> Guardians,
    HandoverMove Move,
    HandoverYotaikyo Yotaikyo,
    IReadOnlyList<HandoverPlan> Plans,
    IReadOnlyList<HandoverTask> OpenTasks,
    HandoverDecision? LatestDecision,
    HandoverContact Caseworker)
{
    /// <summary>The content format written and read.</summary>
    public const string SchemaName = "mimamori-handover-content/1";

    /// <summary>
    /// Every field a package may hold, as paths (<c>child.family_name</c>; <c>[]</c> marks a list's items). Adding a
    /// field means adding it here, to docs/casework.md, and having the legal office confirm it is needed.
    /// </summary>
    public static IReadOnlyList<string> Fields { get; } =
    [
        "schema", "produced_at",
        "basis.id", "basis.ja", "basis.consent_id", "basis.consent_given_by", "basis.consent_given_on",
        "child.family_name", "child.given_name", "child.family_kana", "child.given_kana", "child.birth_date", "child.sex",
        "guardians[].family_name", "guardians[].given_name", "guardians[].family_kana", "guardians[].given_kana", "guardians[].birth_date", "guardians[].sex", "guardians[].relation",
        "move.moved_out_on", "move.new_address",
        "yotaikyo.registered", "yotaikyo.kind", "yotaikyo.registered_on",
        "plans[].goals", "plans[].services", "plans[].agency", "plans[].review_on",
        "open_tasks[].title", "open_tasks[].due_on",
        "latest_decision.decision", "latest_decision.decided_on", "latest_decision.reasons",
        "caseworker.name", "caseworker.organisation", "caseworker.contact",
    ];

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>The content as UTF-8 JSON.</summary>
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <summary>Reads content written by <see cref="ToJson"/>.</summary>
    /// <exception cref="InvalidDataException">Not hand-over content of this format.</exception>
    public static HandoverContent Parse(ReadOnlySpan<byte> json)
    {
        HandoverContent? content;
        try
        {
            content = JsonSerializer.Deserialize<HandoverContent>(json, Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException("The package's content is not hand-over content: " + e.Message, e);
        }

        return content?.Schema == SchemaName && content.Child is not null
            ? content
            : throw new InvalidDataException($"The package's content is not {SchemaName}.");
    }
}

/// <summary>The basis a package was sent under: a legal basis from the policy, and the consent when the basis needs one.</summary>
public sealed record HandoverBasis(string Id, string Ja, long? ConsentId, string? ConsentGivenBy, string? ConsentGivenOn);

/// <summary>The child: name, reading, birth date (yyyy-MM-dd), sex.</summary>
public sealed record HandoverPerson(string FamilyName, string GivenName, string FamilyKana, string GivenKana, string? BirthDate, string? Sex);

/// <summary>An adult of the household, with the relation the registry gives.</summary>
public sealed record HandoverGuardian(string FamilyName, string GivenName, string FamilyKana, string GivenKana, string? BirthDate, string? Sex, string Relation);

/// <summary>The move: the 転出 date and the new address, each when known.</summary>
public sealed record HandoverMove(string? MovedOutOn, string? NewAddress);

/// <summary>The 要対協 registration: whether open, its kind and date when the centre recorded it.</summary>
public sealed record HandoverYotaikyo(bool Registered, string? Kind, string? RegisteredOn);

/// <summary>An active support plan: goals, services, responsible agency, review date.</summary>
public sealed record HandoverPlan(string Goals, string Services, string Agency, string ReviewOn);

/// <summary>An open task: what and by when.</summary>
public sealed record HandoverTask(string Title, string DueOn);

/// <summary>The current decision: its code, the day it was taken and the decider's reasons.</summary>
public sealed record HandoverDecision(string Decision, string DecidedOn, string Reasons);

/// <summary>The sending caseworker: name, organisation and a contact (phone or e-mail) the caseworker gives.</summary>
public sealed record HandoverContact(string Name, string Organisation, string Contact);
