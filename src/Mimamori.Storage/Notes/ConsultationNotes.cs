using System.Globalization;
using Dapper;
using Mimamori.Storage.Connection;

namespace Mimamori.Storage.Notes;

/// <summary>A consultation note: drafted (from a recording or typed), then corrected and confirmed by a caseworker.</summary>
/// <param name="NoteId">consultation_note.note_id.</param>
/// <param name="PersonId">The child the consultation was about.</param>
/// <param name="Status"><c>draft</c> or <c>confirmed</c>.</param>
/// <param name="DraftText">What the transcriber produced (kept, so a correction can be compared with it).</param>
/// <param name="NoteText">The text the caseworker confirmed; null while a draft.</param>
/// <param name="AudioFile">The stored recording's file name; null once deleted.</param>
/// <param name="Transcriber">Which transcriber drafted it (model file name), or <c>typed</c>.</param>
/// <param name="CreatedBy">Who uploaded it.</param>
/// <param name="CreatedAt">When.</param>
/// <param name="ConfirmedBy">Who confirmed it.</param>
/// <param name="ConfirmedAt">When.</param>
/// <param name="AudioDeletedAt">When the recording was deleted.</param>
public sealed record ConsultationNote(
    long NoteId,
    long PersonId,
    string Status,
    string DraftText,
    string? NoteText,
    string? AudioFile,
    string Transcriber,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    string? ConfirmedBy,
    DateTimeOffset? ConfirmedAt,
    DateTimeOffset? AudioDeletedAt)
{
    /// <summary>A note not yet confirmed.</summary>
    public const string Draft = "draft";

    /// <summary>A note a caseworker confirmed.</summary>
    public const string Confirmed = "confirmed";
}

/// <summary>Stores consultation notes. A confirmed note is never changed again.</summary>
public sealed class ConsultationNotes
{
    private readonly MimamoriDatabase database;

    /// <summary>Reads and writes the given database.</summary>
    public ConsultationNotes(MimamoriDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        this.database = database;
    }

    /// <summary>Records a draft.</summary>
    public ConsultationNote AddDraft(long personId, string draftText, string? audioFile, string transcriber, string createdBy, DateTimeOffset at)
    {
        using var connection = database.Open();
        using var tx = connection.BeginTransaction();
        var id = connection.ExecuteScalar<long>("SELECT COALESCE(MAX(note_id), 0) + 1 FROM consultation_note", transaction: tx);
        connection.Execute(
            "INSERT INTO consultation_note (note_id, person_id, status, draft_text, audio_file, transcriber, created_by, created_at) VALUES (@id, @personId, @status, @draftText, @audioFile, @transcriber, @createdBy, @at)",
            new { id, personId, status = ConsultationNote.Draft, draftText, audioFile, transcriber, createdBy, at = Stamp(at) },
            tx);
        tx.Commit();
        return Find(id)!;
    }

    /// <summary>
    /// Confirms a draft with the caseworker's corrected text and marks its recording deleted (the caller deletes the
    /// file first). False when the note is not a draft.
    /// </summary>
    public bool Confirm(long noteId, string text, string confirmedBy, DateTimeOffset at)
    {
        using var connection = database.Open();
        return connection.Execute(
            "UPDATE consultation_note SET status = @confirmed, note_text = @text, confirmed_by = @confirmedBy, confirmed_at = @at, audio_file = NULL, audio_deleted_at = CASE WHEN audio_file IS NULL THEN audio_deleted_at ELSE @at END WHERE note_id = @noteId AND status = @draft",
            new { confirmed = ConsultationNote.Confirmed, draft = ConsultationNote.Draft, text, confirmedBy, at = Stamp(at), noteId }) == 1;
    }

    /// <summary>One note, or null.</summary>
    public ConsultationNote? Find(long noteId) => Query("WHERE note_id = @noteId", new { noteId }).SingleOrDefault();

    /// <summary>A child's notes, newest first.</summary>
    public IReadOnlyList<ConsultationNote> ForPerson(long personId) => Query("WHERE person_id = @personId ORDER BY note_id DESC", new { personId });

    private List<ConsultationNote> Query(string where, object args)
    {
        using var connection = database.Open();
        return connection.Query<Row>(
                "SELECT note_id AS NoteId, person_id AS PersonId, status AS Status, draft_text AS DraftText, note_text AS NoteText, audio_file AS AudioFile, transcriber AS Transcriber, " +
                "created_by AS CreatedBy, created_at AS CreatedAt, confirmed_by AS ConfirmedBy, confirmed_at AS ConfirmedAt, audio_deleted_at AS AudioDeletedAt FROM consultation_note " + where,
                args)
            .Select(r => new ConsultationNote(r.NoteId, r.PersonId, r.Status, r.DraftText, r.NoteText, r.AudioFile, r.Transcriber, r.CreatedBy, Parse(r.CreatedAt)!.Value, r.ConfirmedBy, Parse(r.ConfirmedAt), Parse(r.AudioDeletedAt)))
            .ToList();
    }

    private static string Stamp(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset? Parse(string? text) => text is null ? null : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private sealed class Row
    {
        public long NoteId { get; set; }

        public long PersonId { get; set; }

        public string Status { get; set; } = string.Empty;

        public string DraftText { get; set; } = string.Empty;

        public string? NoteText { get; set; }

        public string? AudioFile { get; set; }

        public string Transcriber { get; set; } = string.Empty;

        public string CreatedBy { get; set; } = string.Empty;

        public string CreatedAt { get; set; } = string.Empty;

        public string? ConfirmedBy { get; set; }

        public string? ConfirmedAt { get; set; }

        public string? AudioDeletedAt { get; set; }
    }
}
