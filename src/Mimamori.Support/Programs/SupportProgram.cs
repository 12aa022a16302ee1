using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mimamori.Support.Programs;

/// <summary>A support program: who is eligible (declarative rules over household facts), how a claim shows in the data, and how to apply.</summary>
public sealed class SupportProgram
{
    [JsonPropertyName("id")]
    public string Id { get; init; } = string.Empty;

    [JsonPropertyName("ja")]
    public string Ja { get; init; } = string.Empty;

    [JsonPropertyName("en")]
    public string En { get; init; } = string.Empty;

    [JsonPropertyName("eligibility")]
    public Condition Eligibility { get; init; } = new();

    /// <summary>The condition that shows the household already receives the program.</summary>
    [JsonPropertyName("claimed")]
    public Condition Claimed { get; init; } = new();

    [JsonPropertyName("apply_with")]
    public string ApplyWith { get; init; } = string.Empty;

    [JsonPropertyName("where")]
    public string Where { get; init; } = string.Empty;

    [JsonPropertyName("contact")]
    public string Contact { get; init; } = string.Empty;

    [JsonPropertyName("letter")]
    public LetterTemplate Letter { get; init; } = new();

    /// <summary>
    /// Whether the linked data decide eligibility and receipt on their own. When false, what is found is a list of
    /// households to tell about the program, not of households known to qualify; <see cref="UndeterminedReason"/> says
    /// what the data cannot see, and evaluation reports such programs apart.
    /// </summary>
    [JsonPropertyName("determined_by_data")]
    public bool DeterminedByData { get; init; } = true;

    [JsonPropertyName("undetermined_reason")]
    public LocalizedText? UndeterminedReason { get; init; }
}

/// <summary>A text in Japanese and English.</summary>
public sealed class LocalizedText
{
    [JsonPropertyName("ja")]
    public string Ja { get; init; } = string.Empty;

    [JsonPropertyName("en")]
    public string En { get; init; } = string.Empty;
}

/// <summary>The offer sent to a family: plain words, never a score, a risk or a sensitive category.</summary>
public sealed class LetterTemplate
{
    [JsonPropertyName("subject")]
    public string Subject { get; init; } = string.Empty;

    [JsonPropertyName("body")]
    public string Body { get; init; } = string.Empty;

    /// <summary>
    /// Other wordings of the same offer, by id (<c>easy</c> やさしい日本語, <c>deadline</c>, <c>en</c>); the subject
    /// and body above are the <c>plain</c> one. Nudge experiments choose among them; see Outreach/MessageComposer.
    /// </summary>
    [JsonPropertyName("variants")]
    public Dictionary<string, LetterVariant> Variants { get; init; } = [];
}

/// <summary>One wording of an offer. Empty fields fall back to the program's plain Japanese ones.</summary>
public sealed class LetterVariant
{
    /// <summary><c>ja</c> or <c>en</c>: the language of the headings around the text.</summary>
    [JsonPropertyName("language")]
    public string Language { get; init; } = "ja";

    [JsonPropertyName("subject")]
    public string Subject { get; init; } = string.Empty;

    /// <summary>The text; <c>{deadline}</c> is replaced by the reply-by date in the letter's language.</summary>
    [JsonPropertyName("body")]
    public string Body { get; init; } = string.Empty;

    [JsonPropertyName("apply_with")]
    public string? ApplyWith { get; init; }

    [JsonPropertyName("where")]
    public string? Where { get; init; }

    [JsonPropertyName("contact")]
    public string? Contact { get; init; }
}

/// <summary>
/// An eligibility condition. Exactly one of its members is set: <c>all</c>, <c>any</c>, <c>not</c>, <c>has_member</c>
/// (a member within an age or grade range, optionally holding facts), <c>adults</c> (the number of members aged 18 or
/// over), <c>children</c> (the number of members under 18), <c>members</c> (the number of members), or
/// <c>member_fact</c> (a member with a fact, its value compared as text or as a number).
/// </summary>
public sealed class Condition
{
    [JsonPropertyName("all")]
    public List<Condition>? All { get; init; }

    [JsonPropertyName("any")]
    public List<Condition>? Any { get; init; }

    /// <summary>Holds when the inner condition does not (e.g. no member above an income band).</summary>
    [JsonPropertyName("not")]
    public Condition? Not { get; init; }

    [JsonPropertyName("has_member")]
    public MemberCondition? HasMember { get; init; }

    [JsonPropertyName("adults")]
    public AdultsCondition? Adults { get; init; }

    [JsonPropertyName("children")]
    public CountCondition? Children { get; init; }

    [JsonPropertyName("members")]
    public CountCondition? Members { get; init; }

    [JsonPropertyName("member_fact")]
    public FactCondition? MemberFact { get; init; }
}

/// <summary>A member within an age range, or within a school-grade range (1–6 小学校, 7–9 中学校) when <c>grades</c> is given.</summary>
public sealed class MemberCondition
{
    [JsonPropertyName("ages")]
    public int[] Ages { get; init; } = [0, 120];

    [JsonPropertyName("grades")]
    public int[]? Grades { get; init; }

    /// <summary>Facts the same member must hold, all of them (e.g. a certificate of a given grade).</summary>
    [JsonPropertyName("facts")]
    public List<FactCondition>? Facts { get; init; }
}

public sealed class AdultsCondition
{
    [JsonPropertyName("count")]
    public int Count { get; init; }
}

/// <summary>A number of members within <c>min</c>..<c>max</c> (either may be left out).</summary>
public sealed class CountCondition
{
    [JsonPropertyName("min")]
    public int? Min { get; init; }

    [JsonPropertyName("max")]
    public int? Max { get; init; }
}

public sealed class FactCondition
{
    [JsonPropertyName("kind")]
    public string Kind { get; init; } = string.Empty;

    [JsonPropertyName("equals")]
    public string? EqualsText { get; init; }

    [JsonPropertyName("in")]
    public string[]? In { get; init; }

    [JsonPropertyName("ages")]
    public int[]? Ages { get; init; }

    /// <summary>The fact's number is at least this (e.g. an EPDS score of 9 or more).</summary>
    [JsonPropertyName("at_least")]
    public double? AtLeast { get; init; }

    /// <summary>The fact's number is at most this (e.g. an income band of 2 or less).</summary>
    [JsonPropertyName("at_most")]
    public double? AtMost { get; init; }
}

/// <summary>The program catalog (data/programs/programs.json), editable by a municipality without code.</summary>
public sealed class ProgramCatalog
{
    private static readonly JsonSerializerOptions JsonOptions = new() { ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    [JsonPropertyName("version")]
    public string Version { get; init; } = string.Empty;

    [JsonPropertyName("programs")]
    public List<SupportProgram> Programs { get; init; } = [];

    public static ProgramCatalog Default { get; } = Load(typeof(ProgramCatalog).Assembly.GetManifestResourceStream("programs/programs.json")!);

    public static ProgramCatalog Load(Stream json) =>
        JsonSerializer.Deserialize<ProgramCatalog>(json, JsonOptions) ?? throw new InvalidDataException("empty program catalog");
}
