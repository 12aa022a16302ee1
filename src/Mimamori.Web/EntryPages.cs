using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Mimamori.Ingestion.Records;
using Mimamori.Ingestion.Specs;
using Mimamori.Ingestion.Validation;
using Mimamori.Privacy.Access;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Ingestion;
using Mimamori.Web.Rendering;
using Mimamori.Web.Security;
using static Mimamori.Web.Rendering.Html;

namespace Mimamori.Web;

/// <summary>
/// The back-entry of paper records by staff. Each form is generated from a feed spec of format <c>form</c>
/// (<c>data/feeds/paper_*.json</c>), checked by the same validator as a file row, and stored as an import batch of
/// its own marked with who entered it and when, so that lineage reads "keyed in from paper by X" rather than a file.
/// Only roles the access policy allows for the purpose <c>record_entry</c> and the spec's category may enter.
/// </summary>
public static class EntryPages
{
    /// <summary>The purpose of keying in paper records (data/privacy/policy.json).</summary>
    public const string RecordEntry = "record_entry";

    /// <summary>The audit action of storing a record.</summary>
    public const string ChangeAction = "change";

    private static readonly Lazy<List<FeedSpec>> Specs = new(LoadSpecs);

    /// <summary>Maps the area's endpoints (under <c>/entry</c>).</summary>
    public static IEndpointRouteBuilder MapEntryPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/entry", List).RequireAuthorization();
        app.MapGet("/entry/{source}", Form).RequireAuthorization();
        app.MapPost("/entry/{source}", Save).RequireAuthorization().RequireAntiforgeryToken();
        return app;
    }

    /// <summary>The area's link in the page header, or nothing when the user may not use it.</summary>
    internal static Markup NavLink(Ui ui) =>
        ui.User is { } user && Allowed(user).Count > 0 ? H($"<a href=\"/entry\">{ui.T("紙の記録の入力", "Paper records")}</a>") : Markup.Empty;

    /// <summary>Every feed spec shipped with the program (data/feeds beside it, or the nearest above it when run from a build folder).</summary>
    internal static IReadOnlyList<FeedSpec> AllSpecs() => Specs.Value;

    /// <summary>The form specs this user may enter records for.</summary>
    internal static IReadOnlyList<FeedSpec> Allowed(User user) =>
        [.. AllSpecs().Where(s => s.Format == "form" && AccessPolicy.Default.Decide(user, s.Category, RecordEntry).Effect == AccessEffect.Allow)];

    private static IResult List(HttpContext http)
    {
        var ui = Ui.For(http);
        var forms = Allowed(ui.User!);
        if (forms.Count == 0)
        {
            return Layout.Forbidden(ui, ui.T("この役割では紙の記録を入力できません（アクセス方針による）。", "Your role may not enter paper records (access policy)."));
        }

        var body = H($"""
            <p class="notice">{ui.T("紙でしか残っていない記録（虐待通告、相談記録、過去の経過など）を入力します。入力した記録はファイルの取込と同じ検証を受け、入力者と入力日時とともに保存されます。", "Enter records that exist only on paper (abuse reports, consultations, past history). They are validated like an imported file and stored with who entered them and when.")}</p>
            <ul class="entry-forms">
            {Each(forms, s => H($"<li><a href=\"/entry/{s.Source}\">{ui.T(s.Title.Ja, s.Title.En)}</a>（{s.Department}）</li>"))}
            </ul>
            """);
        return Layout.Page(ui, ui.T("紙の記録の入力", "Paper records"), body);
    }

    private static IResult Form(string source, HttpContext http)
    {
        var ui = Ui.For(http);
        if (Find(ui, source) is not { } spec)
        {
            return Refuse(ui);
        }

        var saved = http.Request.Query["saved"].ToString();
        var notice = saved.Length == 0 ? Markup.Empty
            : H($"<p class=\"saved\" role=\"status\">{ui.T($"用紙番号 {saved} を保存しました。続けて次の用紙を入力できます。", $"Form {saved} was saved. You can enter the next one.")}</p>");
        return Layout.Page(ui, ui.T(spec.Title.Ja, spec.Title.En), Render(ui, spec, notice, new string[spec.Columns.Count], new Dictionary<int, string>()));
    }

    private static IResult Save(string source, HttpContext http, MimamoriDatabase database, AccessAudit audit, TimeProvider clock)
    {
        var ui = Ui.For(http);
        var user = ui.User!;
        if (Find(ui, source) is not { } spec)
        {
            return Refuse(ui);
        }

        var form = http.Request.Form;
        var values = spec.Columns.Select((_, i) => form[Field(i)].ToString()).ToArray();
        var now = clock.GetUtcNow();
        var file = "entry/" + user.Name;
        var problems = new List<QuarantinedValue>();
        var record = FeedReader.ValidateEntry(spec, file, 1, values, problems);
        var errors = new Dictionary<int, string>();
        foreach (var p in problems)
        {
            // A problem of the whole row (an invisible byte-order mark pasted in) is keyed -1 and shown above the form.
            errors.TryAdd(spec.Columns.FindIndex(c => c.Name == p.Column), p.Expected);
        }

        if (record?.LocalId is { } id && new HistoryQuery(database).HasRecord(spec.Source, id))
        {
            errors[spec.Columns.FindIndex(c => c.Role == Roles.RecordId)] = ui.T("この番号の用紙は入力済みです（訂正は新しい番号で入力せず、担当者に連絡してください）", "a form with this number was already entered");
            record = null;
        }

        var subject = $"record:{spec.Source}:{record?.LocalId ?? values.ElementAtOrDefault(spec.Columns.FindIndex(c => c.Role == Roles.RecordId))}";
        var fields = spec.Columns.Select(c => c.Name).ToList();
        if (record is null)
        {
            audit.Record(http, user, RecordEntry, ChangeAction, subject, [spec.Category], fields, "invalid");
            var notice = H($"<p class=\"error\" role=\"alert\">{ui.T($"{errors.Count}件の項目を確認してください。保存されていません。", $"Check {errors.Count} field(s). Nothing was saved.")} {errors.GetValueOrDefault(-1)}</p>");
            return Layout.Page(ui, ui.T(spec.Title.Ja, spec.Title.En), Render(ui, spec, notice, values, errors), StatusCodes.Status422UnprocessableEntity);
        }

        // The audit event is written first: a record whose entry cannot be audited is not stored.
        audit.Record(http, user, RecordEntry, ChangeAction, subject, [spec.Category], fields, "allowed");
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001F', [user.Name, now.ToString("O", CultureInfo.InvariantCulture), .. values]))));
        using (var writer = ImportBatchWriter.Begin(database, spec.Source, file, sha, spec.Snapshot, now, user.Name))
        {
            writer.Add(record);
            writer.Commit(new ReadSummary(file, 1, 1, 0), clock.GetUtcNow());
        }

        return Results.Redirect($"/entry/{Uri.EscapeDataString(spec.Source)}?saved={Uri.EscapeDataString(record.LocalId ?? string.Empty)}");
    }

    private static Markup Render(Ui ui, FeedSpec spec, Markup notice, string?[] values, Dictionary<int, string> errors) => H($"""
        {notice}
        <p class="notice">{ui.T("紙の用紙に書かれているとおりに入力してください。日付は和暦（令和7年4月1日）でも西暦（2025-04-01）でも入力できます。", "Type what the paper form says. Dates may be 和暦 (令和7年4月1日) or 2025-04-01.")}</p>
        <form method="post" action="/entry/{spec.Source}" class="entry" novalidate>
        {AntiforgeryCheck.Field(ui.Http)}
        <table class="entry-form">
        {Each(spec.Columns.Select((c, i) => (c, i)), x => Row(ui, x.c, x.i, values[x.i], errors.GetValueOrDefault(x.i)))}
        </table>
        <button type="submit">{ui.T("保存する", "Save")}</button>
        </form>
        """);

    private static Markup Row(Ui ui, ColumnSpec column, int index, string? value, string? error)
    {
        var id = Field(index);
        var required = column.Required ? H($" <span class=\"required\">{ui.T("必須", "required")}</span>") : Markup.Empty;
        var invalid = error is null ? Markup.Empty : H($" aria-invalid=\"true\" aria-describedby=\"{id}-error\"");
        Markup input;
        if (column.Codes is { Count: > 0 } codes)
        {
            input = H($"""
                <select id="{id}" name="{id}"{invalid}><option value="">—</option>{Each(codes.Keys, k => H($"<option value=\"{k}\"{(k == value ? H($" selected") : Markup.Empty)}>{k}</option>"))}</select>
                """);
        }
        else
        {
            var hint = column.Type switch
            {
                "date" => ui.T("例: 令和7年4月1日", "e.g. 令和7年4月1日 or 2025-04-01"),
                "kana" => ui.T("ひらがな・カタカナ", "kana"),
                "int" => ui.T("数字", "a number"),
                _ => string.Empty,
            };
            input = H($"<input id=\"{id}\" name=\"{id}\" value=\"{value ?? string.Empty}\" placeholder=\"{hint}\"{invalid}>");
        }

        var message = error is null ? Markup.Empty : H($"<span class=\"field-error\" id=\"{id}-error\">{ui.T("入力内容を確認してください: ", "Expected: ")}{error}</span>");
        return H($"<tr><th><label for=\"{id}\">{column.Name}</label>{required}</th><td>{input} {message}</td></tr>");
    }

    private static string Field(int index) => "c" + index.ToString(CultureInfo.InvariantCulture);

    private static FeedSpec? Find(Ui ui, string source) => Allowed(ui.User!).FirstOrDefault(s => s.Source == source);

    private static IResult Refuse(Ui ui) =>
        Layout.Forbidden(ui, ui.T("この用紙は入力できません（存在しないか、この役割には許可されていません）。", "You may not enter this form (no such form, or not allowed for your role)."));

    private static List<FeedSpec> LoadSpecs()
    {
        var policy = AccessPolicy.Default;
        var categories = policy.Categories.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var bases = policy.LegalBases.Select(b => b.Id).ToHashSet(StringComparer.Ordinal);
        var specs = new List<FeedSpec>();
        var folder = SpecFolder();
        if (folder is null)
        {
            return specs;
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            var (spec, errors) = FeedSpecLoader.Parse(File.ReadAllText(file), file, categories, bases);
            specs.Add(spec ?? throw new InvalidDataException($"The feed spec is invalid: {errors[0]}"));
        }

        return specs;
    }

    private static string? SpecFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "data", "feeds");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
