using System.Text.Json;

namespace Mimamori.Privacy.Access;

/// <summary>
/// Who may see which category of data for which purpose, as data (data/privacy/policy.json) so the municipality can
/// publish, review and version its rules without a code change. Rules are read top to bottom and the first match
/// decides; anything no rule allows is denied.
/// </summary>
public sealed class AccessPolicy
{
    private static readonly Lazy<AccessPolicy> DefaultPolicy = new(LoadDefault);

    private readonly Dictionary<string, DataCategory> categories;
    private readonly Dictionary<string, Purpose> purposes;
    private readonly Dictionary<string, LegalBasis> legalBases;
    private readonly Dictionary<string, Role> roles;
    private readonly List<DataCategory> categoryOrder;

    private AccessPolicy(string version, IEnumerable<LegalBasis> bases, IEnumerable<Purpose> purposeList, IEnumerable<DataCategory> categoryList, IEnumerable<Role> roleList, IReadOnlyList<AccessRule> rules)
    {
        Version = version;
        legalBases = bases.ToDictionary(b => b.Id, StringComparer.Ordinal);
        purposes = purposeList.ToDictionary(p => p.Id, StringComparer.Ordinal);
        categoryOrder = categoryList.ToList();
        categories = categoryOrder.ToDictionary(c => c.Id, StringComparer.Ordinal);
        roles = roleList.ToDictionary(r => r.Id, StringComparer.Ordinal);
        Rules = rules;
        Validate();
    }

    /// <summary>The policy shipped with Mimamori.</summary>
    public static AccessPolicy Default => DefaultPolicy.Value;

    /// <summary>Version label of the policy text, recorded with decisions.</summary>
    public string Version { get; }

    /// <summary>The rules in the order they are applied.</summary>
    public IReadOnlyList<AccessRule> Rules { get; }

    /// <summary>Every category, in policy order.</summary>
    public IReadOnlyList<DataCategory> Categories => categoryOrder;

    /// <summary>Every purpose.</summary>
    public IReadOnlyCollection<Purpose> Purposes => purposes.Values;

    /// <summary>Every legal basis.</summary>
    public IReadOnlyCollection<LegalBasis> LegalBases => legalBases.Values;

    /// <summary>Every role.</summary>
    public IReadOnlyCollection<Role> Roles => roles.Values;

    /// <summary>Reads a policy document (the format of data/privacy/policy.json).</summary>
    /// <exception cref="InvalidDataException">The document is malformed or refers to unknown ids.</exception>
    public static AccessPolicy Load(Stream json)
    {
        PolicyDocument? doc;
        try
        {
            doc = JsonSerializer.Deserialize<PolicyDocument>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException("The access policy is not valid JSON: " + e.Message, e);
        }

        if (doc is null)
        {
            throw new InvalidDataException("The access policy is empty.");
        }

        return new AccessPolicy(
            doc.Version ?? "unversioned",
            doc.LegalBases.Select(b => new LegalBasis(b.Id, b.Ja, b.En, b.RequiresConsent)),
            doc.Purposes.Select(p => new Purpose(p.Id, p.Ja, p.En) { LegalBases = p.LegalBases ?? [] }),
            doc.Categories.Select(c => new DataCategory(c.Id, c.Ja, c.En, c.LegalBases, c.Purposes, c.RetentionYears)),
            doc.Roles.Select(r => new Role(r.Id, r.Ja, r.En, r.DefaultPurpose, r.AuditTrail)),
            doc.Rules.Select(r => new AccessRule(r.Role, r.Category, r.Purpose, ParseEffect(r.Effect), r.Requires, r.Why ?? string.Empty)).ToList());
    }

    /// <summary>The category with this id.</summary>
    /// <exception cref="KeyNotFoundException">No such category.</exception>
    public DataCategory Category(string id) => categories.TryGetValue(id, out var c) ? c : throw new KeyNotFoundException($"Unknown data category '{id}'.");

    /// <summary>The category with this id, or null.</summary>
    public DataCategory? FindCategory(string? id) => id is not null && categories.TryGetValue(id, out var c) ? c : null;

    /// <summary>The purpose with this id.</summary>
    /// <exception cref="KeyNotFoundException">No such purpose.</exception>
    public Purpose Purpose(string id) => purposes.TryGetValue(id, out var p) ? p : throw new KeyNotFoundException($"Unknown purpose '{id}'.");

    /// <summary>The purpose with this id, or null.</summary>
    public Purpose? FindPurpose(string? id) => id is not null && purposes.TryGetValue(id, out var p) ? p : null;

    /// <summary>The legal basis with this id, or null.</summary>
    public LegalBasis? FindLegalBasis(string? id) => id is not null && legalBases.TryGetValue(id, out var b) ? b : null;

    /// <summary>The role with this id, or null.</summary>
    public Role? FindRole(string? id) => id is not null && roles.TryGetValue(id, out var r) ? r : null;

    /// <summary>Decides one category for one purpose, by category and purpose id.</summary>
    public AccessDecision Decide(User user, string categoryId, string purposeId, IReadOnlySet<string>? basesHeld = null)
    {
        ArgumentNullException.ThrowIfNull(user);
        var category = FindCategory(categoryId);
        var purpose = FindPurpose(purposeId);
        if (category is null || purpose is null)
        {
            return new AccessDecision(AccessEffect.Deny, categoryId, purposeId, "unknown category or purpose", null);
        }

        return Decide(user, category, purpose, basesHeld);
    }

    /// <summary>
    /// Decides one category for one purpose. <paramref name="basesHeld"/> lists the legal bases that hold for the
    /// person being viewed (for example <c>local_tax_22_consent</c> when the family consented); rules that require a
    /// basis not held mask instead of allowing.
    /// </summary>
    public AccessDecision Decide(User user, DataCategory category, Purpose purpose, IReadOnlySet<string>? basesHeld = null)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(category);
        ArgumentNullException.ThrowIfNull(purpose);
        if (user.Scope.Kind == ScopeKind.None)
        {
            return new AccessDecision(AccessEffect.Deny, category.Id, purpose.Id, "the user's scope reaches no child", null);
        }

        if (!category.Purposes.Contains(purpose.Id))
        {
            return new AccessDecision(AccessEffect.Deny, category.Id, purpose.Id, $"{category.Id} is not used for {purpose.Id}", null);
        }

        foreach (var rule in Rules)
        {
            if (!rule.Matches(user.Role, category.Id, purpose.Id))
            {
                continue;
            }

            if (rule.Effect == AccessEffect.Allow && rule.Requires is not null && (basesHeld is null || !basesHeld.Contains(rule.Requires)))
            {
                return new AccessDecision(AccessEffect.Mask, category.Id, purpose.Id, $"requires {rule.Requires}: {rule.Why}", rule.Requires);
            }

            var basis = rule.Effect == AccessEffect.Deny ? null : rule.Requires ?? (category.LegalBases.Count > 0 ? category.LegalBases[0] : null);
            return new AccessDecision(rule.Effect, category.Id, purpose.Id, rule.Why, basis);
        }

        return new AccessDecision(AccessEffect.Deny, category.Id, purpose.Id, "no rule allows it", null);
    }

    /// <summary>Decisions for every category, in policy order.</summary>
    public IReadOnlyDictionary<string, AccessDecision> DecideAll(User user, string purposeId, IReadOnlySet<string>? basesHeld = null) =>
        categoryOrder.ToDictionary(c => c.Id, c => Decide(user, c.Id, purposeId, basesHeld), StringComparer.Ordinal);

    /// <summary>True when the user may see at least something about children for this purpose.</summary>
    public bool SeesChildren(User user, string purposeId) => DecideAll(user, purposeId).Values.Any(d => d.IsVisible);

    /// <summary>True when the user's role may read the audit trail.</summary>
    public bool ReadsAuditTrail(User user) => FindRole(user?.Role)?.AuditTrail == true;

    private static AccessPolicy LoadDefault()
    {
        using var stream = typeof(AccessPolicy).Assembly.GetManifestResourceStream("Mimamori.Privacy.policy.json")
            ?? throw new InvalidOperationException("The default access policy is not embedded in Mimamori.Privacy.");
        return Load(stream);
    }

    private static AccessEffect ParseEffect(string effect) => effect switch
    {
        "allow" => AccessEffect.Allow,
        "mask" => AccessEffect.Mask,
        "deny" => AccessEffect.Deny,
        _ => throw new InvalidDataException($"Unknown effect '{effect}' (expected allow, mask or deny)."),
    };

    private void Validate()
    {
        foreach (var c in categoryOrder)
        {
            foreach (var b in c.LegalBases.Where(b => !legalBases.ContainsKey(b)))
            {
                throw new InvalidDataException($"Category {c.Id} names unknown legal basis '{b}'.");
            }

            foreach (var p in c.Purposes.Where(p => !purposes.ContainsKey(p)))
            {
                throw new InvalidDataException($"Category {c.Id} names unknown purpose '{p}'.");
            }
        }

        foreach (var p in purposes.Values)
        {
            foreach (var b in p.LegalBases.Where(b => !legalBases.ContainsKey(b)))
            {
                throw new InvalidDataException($"Purpose {p.Id} names unknown legal basis '{b}'.");
            }
        }

        foreach (var r in Rules)
        {
            if (r.Role != "*" && !roles.ContainsKey(r.Role))
            {
                throw new InvalidDataException($"A rule names unknown role '{r.Role}'.");
            }

            if (r.Category != "*" && !categories.ContainsKey(r.Category))
            {
                throw new InvalidDataException($"A rule names unknown category '{r.Category}'.");
            }

            if (r.Purpose != "*" && !purposes.ContainsKey(r.Purpose))
            {
                throw new InvalidDataException($"A rule names unknown purpose '{r.Purpose}'.");
            }

            if (r.Requires is not null && !legalBases.ContainsKey(r.Requires))
            {
                throw new InvalidDataException($"A rule requires unknown legal basis '{r.Requires}'.");
            }
        }
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    private sealed record PolicyDocument(
        string? Version,
        List<BasisDocument> LegalBases,
        List<PurposeDocument> Purposes,
        List<CategoryDocument> Categories,
        List<RoleDocument> Roles,
        List<RuleDocument> Rules);

    private sealed record BasisDocument(string Id, string Ja, string En, bool RequiresConsent);

    private sealed record PurposeDocument(string Id, string Ja, string En, List<string>? LegalBases);

    private sealed record CategoryDocument(string Id, string Ja, string En, List<string> LegalBases, List<string> Purposes, int RetentionYears);

    private sealed record RoleDocument(string Id, string Ja, string En, string DefaultPurpose, bool AuditTrail);

    private sealed record RuleDocument(string Role, string Category, string Purpose, string Effect, string? Requires, string? Why);
}
