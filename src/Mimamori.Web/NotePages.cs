using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Mimamori.Privacy.Access;
using Mimamori.Privacy.Audit;
using Mimamori.Storage.Notes;
using Mimamori.Storage.Reading;
using Mimamori.Web.Notes;
using Mimamori.Web.Rendering;
using Mimamori.Web.Security;
using static Mimamori.Web.Rendering.Html;

namespace Mimamori.Web;

/// <summary>Where recordings wait for confirmation, and who transcribes them.</summary>
/// <param name="Transcriber">The speech-to-text engine (Whisper.net with the configured model).</param>
/// <param name="AudioDirectory">Recordings of drafts not yet confirmed; each is deleted when its note is confirmed.</param>
public sealed record NoteSettings(ITranscriber Transcriber, string AudioDirectory);

/// <summary>
/// Consultation notes from a recording (尼崎): a caseworker uploads the recording of a consultation, the transcriber
/// drafts the note on this machine, the caseworker corrects and confirms it, and the recording is deleted at that
/// moment (the confirmed text is the record; the audio is not kept). Notes are child-welfare records entered under
/// the record-entry purpose, for children in the user's scope, and every step is audited.
/// </summary>
public static class NotePages
{
    /// <summary>The largest recording accepted (about 25 minutes of 16 kHz 16-bit mono).</summary>
    public const long MaxAudioBytes = 50L * 1024 * 1024;

    /// <summary>Maps the area's endpoints.</summary>
    public static IEndpointRouteBuilder MapNotePages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/children/{id:long}/notes", List).RequireAuthorization();
        app.MapPost("/children/{id:long}/notes", Upload).RequireAuthorization().RequireAntiforgeryToken();
        app.MapGet("/notes/{noteId:long}", Show).RequireAuthorization();
        app.MapPost("/notes/{noteId:long}/confirm", Confirm).RequireAuthorization().RequireAntiforgeryToken();
        return app;
    }

    /// <summary>Who may record notes: the roles the policy lets enter child-welfare records.</summary>
    internal static bool MayWrite(AccessPolicy policy, User user) =>
        policy.Decide(user, DataCategory.ChildWelfare, EntryPages.RecordEntry).IsAllowed;

    private static bool InScope(AccessPolicy policy, WorklistQuery query, User user, long personId) =>
        query.InScope([personId], user.Scope, new Disclosure.Disclosure(policy, user, Purpose.EarlySupport).AllowedCategories).Contains(personId);

    /// <summary>
    /// The refusal for a note about a child, or null when the role may record notes and the child is in the user's
    /// scope. A missing note and a child out of scope answer alike (404), so that ids cannot be probed; both are audited.
    /// </summary>
    private static IResult? Refuse(HttpContext http, Ui ui, AccessPolicy policy, WorklistQuery query, AccessAudit audit, long? personId, string what, string action)
    {
        var user = ui.User!;
        var subject = personId is { } p ? "person:" + p.ToString(CultureInfo.InvariantCulture) : what;
        if (!MayWrite(policy, user))
        {
            audit.Record(http, user, EntryPages.RecordEntry, action, subject, [DataCategory.ChildWelfare], ["consultation_note"], "denied");
            return Layout.Forbidden(ui, ui.T("相談記録を扱えるのは、児童福祉の記録入力が認められた役割の職員のみです。", "Only roles allowed to enter child-welfare records may use consultation notes."));
        }

        if (personId is not { } id || !InScope(policy, query, user, id))
        {
            audit.Record(http, user, EntryPages.RecordEntry, action, subject, [], [], "not_found_or_out_of_scope");
            return Layout.Page(ui, ui.T("見つかりません", "Not found"), H($"<p class=\"notice\">{ui.T("該当するものがないか、担当範囲の外です。", "Not found, or outside the children in your scope.")}</p>"), StatusCodes.Status404NotFound);
        }

        return null;
    }

    private static IResult List(HttpContext http, long id, AccessPolicy policy, WorklistQuery query, ConsultationNotes notes, AccessAudit audit, NoteSettings settings)
    {
        var ui = Ui.For(http);
        if (Refuse(http, ui, policy, query, audit, id, "person", AuditAction.View) is { } refused)
        {
            return refused;
        }

        var list = notes.ForPerson(id);
        audit.Record(http, ui.User!, EntryPages.RecordEntry, AuditAction.View, "person:" + id.ToString(CultureInfo.InvariantCulture), [DataCategory.ChildWelfare], ["consultation_notes"], "allowed");
        var unavailable = settings.Transcriber.Unavailable;
        var body = H($"""
            <p class="notice">{ui.T("相談の録音（WAV形式）から記録の下書きを作ります。文字起こしはこの端末内で行い、外部には送りません。下書きは必ず担当者が確認・修正して確定します。確定した時点で録音は削除されます。", "Drafts a consultation note from a recording (WAV). Transcription runs on this machine; nothing is sent anywhere. A caseworker always checks, corrects and confirms the draft; the recording is deleted when the note is confirmed.")}</p>
            {(unavailable is null
                ? H($"""
                    <form method="post" action="/children/{id}/notes" enctype="multipart/form-data" class="note-upload">
                      {AntiforgeryCheck.Field(http)}
                      <label>{ui.T("録音ファイル（WAV、16kHz）", "Recording (WAV, 16 kHz)")} <input type="file" name="audio" id="audio" accept=".wav,audio/wav" required></label>
                      <button type="submit">{ui.T("下書きを作る", "Draft the note")}</button>
                    </form>
                    """)
                : H($"<p class=\"missing transcriber-unavailable\" role=\"status\">{unavailable}<br>{ui.T("システム管理者にモデルファイルの配置と設定を依頼してください。", "Ask the administrator to install a model file and set its path.")}</p>"))}
            <h2>{ui.T("記録", "Notes")}</h2>
            {(list.Count == 0 ? H($"<p class=\"note\">{ui.T("まだありません。", "None yet.")}</p>") : H($"<ul class=\"notes\">{Each(list, n => H($"<li class=\"consultation-note\" data-status=\"{n.Status}\"><a href=\"/notes/{n.NoteId}\">{Labels.Date(ui, DateOnly.FromDateTime(JapanTime.ToJapan(n.CreatedAt).DateTime))}</a> {StatusLabel(ui, n.Status)}</li>"))}</ul>"))}
            <p><a href="/children/{id}">{ui.T("こどもの画面へ戻る", "Back to the child")}</a></p>
            """);
        return Layout.Page(ui, ui.T("相談記録（音声から下書き）", "Consultation notes (drafted from a recording)"), body);
    }

    private static string StatusLabel(Ui ui, string status) =>
        status == ConsultationNote.Confirmed ? ui.T("確定済み", "Confirmed") : ui.T("下書き（未確定）", "Draft (not confirmed)");

    private static async Task<IResult> Upload(HttpContext http, long id, AccessPolicy policy, WorklistQuery query, ConsultationNotes notes, AccessAudit audit, NoteSettings settings, TimeProvider clock)
    {
        var ui = Ui.For(http);
        if (Refuse(http, ui, policy, query, audit, id, "person", AuditAction.Change) is { } refused)
        {
            return refused;
        }

        if (settings.Transcriber.Unavailable is { } unavailable)
        {
            return Layout.Page(ui, ui.T("文字起こしできません", "Cannot transcribe"), H($"<p class=\"missing transcriber-unavailable\">{unavailable}</p>"), StatusCodes.Status503ServiceUnavailable);
        }

        var form = await http.Request.ReadFormAsync();
        var file = form.Files["audio"];
        if (file is null || file.Length == 0 || file.Length > MaxAudioBytes || !await IsWave(file))
        {
            return Layout.Page(ui, ui.T("録音を受け付けられません", "Recording not accepted"), H($"<p class=\"notice\">{ui.T("WAV形式の録音（50MBまで）を選んでください。", "Choose a WAV recording (up to 50 MB).")}</p><p><a href=\"/children/{id}/notes\">{ui.T("戻る", "Back")}</a></p>"), StatusCodes.Status400BadRequest);
        }

        Directory.CreateDirectory(settings.AudioDirectory);
        var name = Guid.NewGuid().ToString("N") + ".wav";
        var path = Path.Combine(settings.AudioDirectory, name);
        await using (var output = File.Create(path))
        {
            await file.CopyToAsync(output, http.RequestAborted);
        }

        Transcript transcript;
        await using (var input = File.OpenRead(path))
        {
            transcript = await settings.Transcriber.Transcribe(input, http.RequestAborted);
        }

        if (transcript.Failure is { } failure)
        {
            File.Delete(path);
            return Layout.Page(ui, ui.T("文字起こしできません", "Cannot transcribe"), H($"<p class=\"missing transcriber-unavailable\">{failure}</p><p><a href=\"/children/{id}/notes\">{ui.T("戻る", "Back")}</a></p>"), StatusCodes.Status422UnprocessableEntity);
        }

        var note = notes.AddDraft(id, transcript.Text, name, settings.Transcriber.Name, ui.User!.Name, clock.GetUtcNow());
        audit.Record(http, ui.User!, EntryPages.RecordEntry, AuditAction.Change, "person:" + id.ToString(CultureInfo.InvariantCulture), [DataCategory.ChildWelfare], ["consultation_audio", "draft_note:" + note.NoteId.ToString(CultureInfo.InvariantCulture)], "allowed");
        return Results.Redirect($"/notes/{note.NoteId}");
    }

    // "RIFF" .... "WAVE": anything else is refused before it is stored.
    private static async Task<bool> IsWave(IFormFile file)
    {
        var header = new byte[12];
        await using var stream = file.OpenReadStream();
        var read = await stream.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false);
        return read == 12 && header.AsSpan(0, 4).SequenceEqual("RIFF"u8) && header.AsSpan(8, 4).SequenceEqual("WAVE"u8);
    }

    private static IResult Show(HttpContext http, long noteId, AccessPolicy policy, WorklistQuery query, ConsultationNotes notes, AccessAudit audit)
    {
        var ui = Ui.For(http);
        var note = notes.Find(noteId);
        if (Refuse(http, ui, policy, query, audit, note?.PersonId, "note:" + noteId.ToString(CultureInfo.InvariantCulture), AuditAction.View) is { } refused)
        {
            return refused;
        }

        // Refuse answers for a missing note, so from here the note exists.
        ArgumentNullException.ThrowIfNull(note);

        audit.Record(http, ui.User!, EntryPages.RecordEntry, AuditAction.View, "person:" + note.PersonId.ToString(CultureInfo.InvariantCulture), [DataCategory.ChildWelfare], ["consultation_note:" + noteId.ToString(CultureInfo.InvariantCulture)], "allowed");
        var draft = note.Status == ConsultationNote.Draft;
        var body = draft
            ? H($"""
                <p class="notice">{ui.T("音声から作った下書きです。聞き違い・固有名詞・数字を必ず確認し、修正してから確定してください。確定すると録音は削除され、記録は変更できません。", "A draft made from the recording. Check misheard words, names and numbers, correct them, then confirm. Confirming deletes the recording; the note cannot be changed afterwards.")}</p>
                <form method="post" action="/notes/{noteId}/confirm" class="note-confirm">
                  {AntiforgeryCheck.Field(http)}
                  <label for="note-text">{ui.T("記録（修正できます）", "Note (you may correct it)")}</label>
                  <textarea id="note-text" name="text" rows="12" cols="80" required>{note.DraftText}</textarea>
                  <button type="submit">{ui.T("確定する（録音を削除）", "Confirm (deletes the recording)")}</button>
                </form>
                <p class="note">{ui.T("録音", "Recording")}: {(note.AudioFile is null ? ui.T("なし", "none") : ui.T("確定まで保管中", "kept until confirmed"))}・{ui.T("下書きの作成", "Drafted by")}: {note.Transcriber}</p>
                """)
            : H($"""
                <div class="confirmed-note" lang="ja"><p>{Each((note.NoteText ?? string.Empty).Split('\n'), line => H($"{line}<br>"))}</p></div>
                <dl class="note-facts">
                  <dt>{ui.T("確定", "Confirmed")}</dt><dd>{note.ConfirmedBy} {(note.ConfirmedAt is { } at ? Labels.Date(ui, DateOnly.FromDateTime(JapanTime.ToJapan(at).DateTime)) : string.Empty)}</dd>
                  <dt>{ui.T("録音", "Recording")}</dt><dd class="audio-status">{(note.AudioDeletedAt is not null ? ui.T("確定時に削除しました", "Deleted when the note was confirmed") : ui.T("録音なし", "No recording"))}</dd>
                  <dt>{ui.T("下書きからの修正", "Corrected from the draft")}</dt><dd>{(note.NoteText == note.DraftText ? ui.T("なし", "No") : ui.T("あり", "Yes"))}</dd>
                </dl>
                """);
        return Layout.Page(ui, ui.T("相談記録", "Consultation note"), H($"{body}<p><a href=\"/children/{note.PersonId}/notes\">{ui.T("記録の一覧へ", "All notes")}</a></p>"));
    }

    private static async Task<IResult> Confirm(HttpContext http, long noteId, AccessPolicy policy, WorklistQuery query, ConsultationNotes notes, AccessAudit audit, NoteSettings settings, TimeProvider clock)
    {
        var ui = Ui.For(http);
        var note = notes.Find(noteId);
        if (Refuse(http, ui, policy, query, audit, note?.PersonId, "note:" + noteId.ToString(CultureInfo.InvariantCulture), AuditAction.Change) is { } refused)
        {
            return refused;
        }

        // Refuse answers for a missing note, so from here the note exists.
        ArgumentNullException.ThrowIfNull(note);

        var form = await http.Request.ReadFormAsync();
        var text = form["text"].ToString().Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
        if (text.Length == 0 || note.Status != ConsultationNote.Draft)
        {
            return Results.Redirect($"/notes/{noteId}");
        }

        // The recording goes first: if deleting it fails, the note stays a draft and the caseworker can try again.
        if (note.AudioFile is { } audio)
        {
            File.Delete(Path.Combine(settings.AudioDirectory, Path.GetFileName(audio)));
        }

        notes.Confirm(noteId, text, ui.User!.Name, clock.GetUtcNow());
        audit.Record(http, ui.User!, EntryPages.RecordEntry, AuditAction.Change, "person:" + note.PersonId.ToString(CultureInfo.InvariantCulture), [DataCategory.ChildWelfare], ["consultation_note:" + noteId.ToString(CultureInfo.InvariantCulture), "audio_deleted"], "allowed");
        return Results.Redirect($"/notes/{noteId}");
    }
}
