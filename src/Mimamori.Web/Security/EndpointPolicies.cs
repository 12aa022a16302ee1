using Mimamori.Privacy.Access;

namespace Mimamori.Web.Security;

/// <summary>Who may reach an endpoint at all.</summary>
public enum EndpointGate
{
    /// <summary>No sign-in needed (login, transparency, the families' inbox, assets, health).</summary>
    Public,

    /// <summary>Signed-in staff only; <see cref="EndpointPolicy.Roles"/> says which roles get an answer other than 403.</summary>
    Staff,
}

/// <summary>
/// One routed endpoint's declared policy: which roles may call it, for which purpose, and which data categories its
/// answer can carry. The handlers decide with the access policy; this table states the outcome they must reach, so a
/// reviewer reads the whole surface in one place and the authorisation tests hold every handler to it.
/// </summary>
/// <param name="Method">HTTP method.</param>
/// <param name="Route">The route pattern exactly as mapped.</param>
/// <param name="Gate">Public, or staff only.</param>
/// <param name="Roles">Roles that get an answer (any other signed-in role gets 403); empty for public endpoints.</param>
/// <param name="Purpose">The purpose the endpoint's reads are recorded under, or null when it reads no person.</param>
/// <param name="Categories">Data categories whose values the answer can carry, at most (the policy masks within them).</param>
/// <param name="PersonalData">True when the answer names or describes people, so every call must be audited.</param>
/// <param name="CityWide">True when, besides the role, the user's scope must be <c>all</c>.</param>
/// <param name="NarrowOnly">True when only users whose scope is narrower than <c>all</c> need it (break-glass).</param>
/// <param name="Why">Why the endpoint is open to these roles.</param>
public sealed record EndpointPolicy(
    string Method,
    string Route,
    EndpointGate Gate,
    IReadOnlyList<string> Roles,
    string? Purpose,
    IReadOnlyList<string> Categories,
    bool PersonalData,
    bool CityWide,
    bool NarrowOnly,
    string Why)
{
    /// <summary>The key the table is looked up by: method and route.</summary>
    public string Key => Method + " " + Route;

    /// <summary>True when a signed-in user of this role gets an answer, before scope is considered.</summary>
    public bool Admits(string role) => Gate == EndpointGate.Public || Roles.Contains(role);

    /// <summary>True when a signed-in user of this role and scope (stored text form) gets an answer.</summary>
    public bool Admits(string role, string scope) =>
        Admits(role) && (!CityWide || scope == "all") && (!NarrowOnly || scope != "all");
}

/// <summary>
/// The policy of every endpoint the web app maps. A new endpoint without a row here fails the authorisation tests,
/// so nothing reaches production without someone having said who may call it and what it may return.
/// </summary>
public static class EndpointPolicies
{
    private static readonly string[] AllCategories =
        [DataCategory.Resident, DataCategory.Tax, DataCategory.Welfare, DataCategory.Health, DataCategory.Education, DataCategory.ChildWelfare, DataCategory.Medical];

    private static readonly string[] SeeChildren = [Role.Caseworker, Role.Supervisor, Role.SchoolStaff, Role.HealthNurse];
    private static readonly string[] ReadChild = [Role.Caseworker, Role.Supervisor, Role.SchoolStaff, Role.HealthNurse, Role.DataSteward];
    private static readonly string[] Decide = [Role.Caseworker, Role.Supervisor, Role.HealthNurse];
    private static readonly string[] Casework = [Role.Caseworker, Role.Supervisor];
    private static readonly string[] Steward = [Role.DataSteward];
    private static readonly string[] Officer = [Role.PrivacyOfficer];
    private static readonly string[] Entry = [Role.Caseworker, Role.Supervisor];
    private static readonly string[] Receive = [Role.Caseworker, Role.Supervisor, Role.HealthNurse, Role.SchoolStaff, Role.Partner];
    private static readonly string[] Aggregates = [Role.Caseworker, Role.Supervisor, Role.DataSteward];
    private static readonly string[] EveryRole =
        [Role.Caseworker, Role.Supervisor, Role.SchoolStaff, Role.HealthNurse, Role.DataSteward, Role.PrivacyOfficer, Role.Administrator, Role.Partner];

    private static readonly string[] Nothing = [];

    /// <summary>Every endpoint, in the order the app maps them.</summary>
    public static IReadOnlyList<EndpointPolicy> All { get; } =
    [
        Public("GET", "/assets/{name}", "Style sheet and scripts; no data."),
        Public("GET", "/healthz", "Liveness for the operator; no data."),
        Public("GET", "/metrics", "Counts only, answered on loopback only."),
        Public("GET", "/login", "The sign-in form."),
        Public("POST", "/login", "Sign-in; every attempt is audited."),
        Public("GET", "/logout", "The sign-out form."),
        Public("POST", "/logout", "Sign-out; audited."),
        Staff("GET", "/", SeeChildren, Purpose.EarlySupport, AllCategories, "The watch list of children in the user's scope, masked per category."),
        Staff("GET", "/worklist/export.xlsx", SeeChildren, Purpose.EarlySupport, AllCategories, "The filtered watch list as a workbook, masked as on screen; one export event per child.", personal: true),
        Staff("POST", "/worklist/views", SeeChildren, Purpose.EarlySupport, Nothing, "A user saves the filters of their own watch list; a view holds filters, never children."),
        Staff("POST", "/worklist/views/{id:long}/delete", SeeChildren, Purpose.EarlySupport, Nothing, "A user deletes one of their own saved views."),
        Staff("GET", "/children/{id:long}", ReadChild, Purpose.EarlySupport, AllCategories, "One child in the user's scope, masked per category (data stewards read it for data quality)."),
        Staff("POST", "/children/{id:long}/break-glass", [Role.Caseworker, Role.Supervisor, Role.SchoolStaff, Role.HealthNurse], Purpose.BreakGlass, Nothing, "Emergency access to one child outside the user's scope, with a written reason; city-wide users need none.", narrow: true),
        Staff("POST", "/children/{id:long}/assignments", [Role.Supervisor], Purpose.SupportDecision, Nothing, "A supervisor assigns a child in their scope to a member of staff's own cases."),
        Staff("POST", "/children/{id:long}/assignments/{assignment:long}/end", [Role.Supervisor], Purpose.SupportDecision, Nothing, "A supervisor ends a case assignment."),
        Staff("GET", "/audit", Officer, Purpose.Audit, Nothing, "The audit trail names staff and subjects; only the privacy officer reads it.", personal: true),
        Public("GET", "/inbox", "Families sign in to their notices with the code on their letter."),
        Public("POST", "/inbox", "Families enter the code on their letter; throttled and audited."),
        Public("GET", "/inbox/messages/{id:long}", "A family reads a notice addressed to its household (needs the code's session).", personal: true),
        Public("POST", "/inbox/messages/{id:long}/respond", "A family answers a notice (needs the code's session)."),
        Public("POST", "/inbox/email", "A family asks for e-mail notices (needs the code's session)."),
        Public("POST", "/inbox/leave", "A family leaves the inbox."),
        Staff("POST", "/audit/break-glass/{id:long}/review", Officer, Purpose.Audit, Nothing, "The privacy officer records the review of an emergency access, with a note."),
        Staff("GET", "/campaigns", Casework, Purpose.Outreach, Nothing, "Outreach campaigns: counts and wording only."),
        Staff("GET", "/campaigns/{id}", Casework, Purpose.Outreach, [DataCategory.Resident], "The households a campaign writes to: names and addresses.", personal: true),
        Staff("GET", "/campaigns/{id}/results", Casework, Purpose.Outreach, Nothing, "Uptake per wording, as counts."),
        Staff("POST", "/campaigns/{id}/approve", [Role.Supervisor], Purpose.Outreach, Nothing, "Only a supervisor approves sending."),
        Staff("GET", "/quality", Steward, Purpose.DataQuality, Nothing, "Feed figures: counts only."),
        Staff("GET", "/quality/{source}", Steward, Purpose.DataQuality, AllCategories, "A feed's quarantined rows, masked where the steward's policy masks.", personal: true),
        Staff("GET", "/quality/{source}/quarantine.csv", Steward, Purpose.DataQuality, AllCategories, "The same rows as a file; an export, audited.", personal: true),
        Staff("GET", "/entry", Entry, Purpose.RecordEntry, Nothing, "The paper forms the role may enter; the shipped forms are child welfare (consultations, abuse reports)."),
        Staff("GET", "/entry/{source}", Entry, Purpose.RecordEntry, Nothing, "An empty paper form."),
        Staff("POST", "/entry/{source}", Entry, Purpose.RecordEntry, Nothing, "A paper record entered; validated like a file."),
        Staff("GET", "/judgements", Decide, Purpose.SupportDecision, Nothing, "Meetings: dates, titles and counts."),
        Staff("POST", "/judgements/meetings", Decide, Purpose.SupportDecision, Nothing, "A meeting created."),
        Staff("GET", "/judgements/meetings/{id:long}", Decide, Purpose.SupportDecision, [DataCategory.Resident], "A meeting's agenda: the children in the user's scope.", personal: true),
        Staff("POST", "/judgements/meetings/{id:long}/agenda", Decide, Purpose.SupportDecision, Nothing, "A child put on an agenda."),
        Staff("GET", "/judgements/{id:long}", Decide, Purpose.SupportDecision, AllCategories, "A recorded decision with what the decider was shown.", personal: true),
        Staff("POST", "/children/{id:long}/judgements", Decide, Purpose.SupportDecision, Nothing, "A decision recorded with its reason."),
        Staff("GET", "/plans", Decide, Purpose.SupportDecision, [DataCategory.Resident], "Overdue tasks and plans past review, for the children in the user's scope: names and casework, no category values.", personal: true),
        Staff("GET", "/api/casework/overdue", Decide, Purpose.SupportDecision, [DataCategory.Resident], "The same as JSON.", personal: true),
        Staff("POST", "/children/{id:long}/plans", Decide, Purpose.SupportDecision, Nothing, "A support plan created for a child in the user's scope."),
        Staff("POST", "/plans/{id:long}", Decide, Purpose.SupportDecision, Nothing, "A plan reviewed or ended (its child in the user's scope)."),
        Staff("POST", "/plans/{id:long}/tasks", Decide, Purpose.SupportDecision, Nothing, "A task added to an active plan (its child in the user's scope)."),
        Staff("POST", "/tasks/{id:long}/done", Decide, Purpose.SupportDecision, Nothing, "A task marked done (its child in the user's scope)."),
        Staff("GET", "/referrals", Receive, Purpose.SupportDecision, [DataCategory.Resident, DataCategory.Education], "Referrals received and sent by the user's organisation: only the fields the sender chose to pass on (to an outside partner only with the family's consent).", personal: true),
        Staff("GET", "/api/referrals", Receive, Purpose.SupportDecision, [DataCategory.Resident, DataCategory.Education], "The referrals received, as JSON.", personal: true),
        Staff("POST", "/referrals/{id:long}/answer", Receive, Purpose.SupportDecision, Nothing, "The receiving organisation accepts or declines, with a reason; another organisation's referral answers as none."),
        Staff("POST", "/children/{id:long}/referrals", Decide, Purpose.SupportDecision, Nothing, "A referral sent about a child in the user's scope: a disclosure of the chosen fields, audited as one."),
        Staff("POST", "/children/{id:long}/consents", Decide, Purpose.SupportDecision, Nothing, "A family's consent to share with an outside partner recorded."),
        Staff("POST", "/consents/{id:long}/withdraw", Decide, Purpose.SupportDecision, Nothing, "A consent's withdrawal recorded, with a reason."),
        Staff("POST", "/children/{id:long}/yotaikyo", Casework, Purpose.SupportDecision, Nothing, "A 要対協 registration is child-welfare data: only roles the policy allows child welfare for decisions record it."),
        Staff("POST", "/yotaikyo/{id:long}/end", Casework, Purpose.SupportDecision, Nothing, "The end of a 要対協 registration, with a reason; the same roles."),
        Staff("GET", "/validity", [Role.Caseworker, Role.Supervisor, Role.HealthNurse, Role.DataSteward], Purpose.SupportDecision, Nothing, "Figures about the list as a whole; city-wide roles only.", cityWide: true),
        Staff("GET", "/dashboard", Aggregates, Purpose.Statistics, Nothing, "City-wide counts only, cells of 1 to 4 withheld; roles the policy allows aggregate figures, with a city-wide scope.", cityWide: true),
        Staff("GET", "/children/{id:long}/notes", Entry, Purpose.RecordEntry, [DataCategory.ChildWelfare], "A child's consultation notes; roles allowed to enter child-welfare records, for children in their scope.", personal: true),
        Staff("POST", "/children/{id:long}/notes", Entry, Purpose.RecordEntry, Nothing, "A recording uploaded and transcribed on this machine into a draft note."),
        Staff("GET", "/notes/{noteId:long}", Entry, Purpose.RecordEntry, [DataCategory.ChildWelfare], "One consultation note, draft or confirmed.", personal: true),
        Staff("POST", "/notes/{noteId:long}/confirm", Entry, Purpose.RecordEntry, Nothing, "A draft corrected and confirmed; the recording is deleted."),
        Staff("GET", "/review", Steward, Purpose.DataQuality, Nothing, "Uncertain record pairs: sources and weights, no names."),
        Staff("GET", "/review/{id:long}", Steward, Purpose.DataQuality, AllCategories, "The two records of a pair, masked per category.", personal: true),
        Staff("GET", "/review/person/{id:long}", Steward, Purpose.DataQuality, Nothing, "A person's links and weights, no names.", personal: true),
        Staff("POST", "/review/{id:long}/decide", Steward, Purpose.DataQuality, Nothing, "A pair decided same or different."),
        Public("GET", "/transparency", "The published policy: data items, purposes, legal bases, retention."),
        Public("GET", "/transparency.json", "The same, as JSON."),
        Staff("GET", "/rights", Officer, Purpose.Disclosure, Nothing, "The form for recording a 本人開示 request.", cityWide: true),
        Staff("POST", "/rights/disclosures", Officer, Purpose.Disclosure, Nothing, "A disclosure request recorded.", cityWide: true),
        Staff("GET", "/rights/disclosures/{id:long}", Officer, Purpose.Disclosure, AllCategories, "Everything held about the requester.", personal: true, cityWide: true),
        Staff("GET", "/rights/disclosures/{id:long}/json", Officer, Purpose.Disclosure, AllCategories, "The same as JSON, for release.", personal: true, cityWide: true),
        Staff("GET", "/rights/disclosures/{id:long}/pdf", Officer, Purpose.Disclosure, AllCategories, "The same as PDF, for release.", personal: true, cityWide: true),
        Staff("POST", "/rights/disclosures/{id:long}/corrections", Officer, Purpose.Disclosure, Nothing, "A correction request recorded.", cityWide: true),
        Public("POST", "/api/login", "JSON sign-in; audited like the form."),
        Staff("GET", "/api/worklist", SeeChildren, Purpose.EarlySupport, AllCategories, "The watch list as JSON."),
        Staff("GET", "/api/children/{id:long}", ReadChild, Purpose.EarlySupport, AllCategories, "One child as JSON."),
        Staff("GET", "/api/audit", Officer, Purpose.Audit, Nothing, "The audit trail as JSON.", personal: true),
        Public("GET", "/openapi/v1.json", "The API description."),
        Staff("POST", "/children/{id:long}/outreach-approvals", Decide, Purpose.SupportDecision, Nothing, "An outreach offer approved after a support_needed decision."),
        Staff("POST", "/children/{id:long}/outreach-approvals/{approval:long}/withdraw", Decide, Purpose.SupportDecision, Nothing, "An outreach approval withdrawn."),
        Staff("GET", "/children/{id:long}/handover", Casework, Purpose.Handover, [DataCategory.Resident, DataCategory.ChildWelfare], "The fields a hand-over package would carry for a child in the user's scope, and the form to choose basis and recipient.", personal: true),
        Staff("POST", "/children/{id:long}/handover", Casework, Purpose.Handover, [DataCategory.Resident, DataCategory.ChildWelfare], "A hand-over package produced and downloaded: a disclosure to another municipality, refused without a legal basis or consent, audited as one.", personal: true),
        Staff("GET", "/handover/received", Casework, Purpose.Handover, [DataCategory.Resident, DataCategory.ChildWelfare], "Hand-overs received from other municipalities, with candidate children; city-wide caseworkers and supervisors.", personal: true, cityWide: true),
        Staff("POST", "/handover/received/{id:long}/link", Casework, Purpose.Handover, Nothing, "A received hand-over linked to one of its candidate children.", cityWide: true),
    ];

    /// <summary>Every role named by any endpoint, for checks that the table speaks only of real roles.</summary>
    public static IReadOnlyList<string> Roles => EveryRole;

    /// <summary>The policy of the endpoint with this method and route pattern, or null when none is declared.</summary>
    public static EndpointPolicy? Find(string method, string route) =>
        All.FirstOrDefault(p => p.Method == method && p.Route == route);

    private static EndpointPolicy Public(string method, string route, string why, bool personal = false) =>
        new(method, route, EndpointGate.Public, Nothing, null, Nothing, personal, false, false, why);

    private static EndpointPolicy Staff(string method, string route, string[] roles, string purpose, string[] categories, string why, bool personal = false, bool cityWide = false, bool narrow = false) =>
        new(method, route, EndpointGate.Staff, roles, purpose, categories, personal || categories.Length > 0, cityWide, narrow, why);
}
