using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Mimamori.Storage.Audit;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Notes;
using Mimamori.Storage.People;
using Mimamori.Web.Notes;

namespace Mimamori.Web.Tests;

/// <summary>
/// Consultation notes from a recording: the whole flow with a stand-in transcriber (no model can be installed here),
/// and the real Whisper.net library when no model, or no valid model, is configured.
/// </summary>
[Collection(WebGroup.Name)]
public sealed class NoteTests(WebFixture fixture)
{
    /// <summary>Stands in for a speech model: the draft says how long the recording was, so it depends on the upload.</summary>
    private sealed class StandInTranscriber : ITranscriber
    {
        public string Name => "stand-in";

        public string? Unavailable => null;

        public async Task<Transcript> Transcribe(Stream wav, CancellationToken cancellationToken)
        {
            using var copy = new MemoryStream();
            await wav.CopyToAsync(copy, cancellationToken);
            var seconds = (copy.Length - 44) / 32000.0; // 16 kHz, 16-bit mono after a 44-byte header
            return new Transcript($"録音{seconds:0}秒。母親より欠席が続いていると相談があった。", null);
        }
    }

    /// <summary>A 16 kHz 16-bit mono WAV of silence.</summary>
    private static byte[] Wave(int seconds)
    {
        var data = seconds * 32000;
        using var s = new MemoryStream();
        using var w = new BinaryWriter(s);
        w.Write("RIFF"u8);
        w.Write(36 + data);
        w.Write("WAVEfmt "u8);
        w.Write(16);
        w.Write((short)1);
        w.Write((short)1);
        w.Write(16000);
        w.Write(32000);
        w.Write((short)2);
        w.Write((short)16);
        w.Write("data"u8);
        w.Write(data);
        w.Write(new byte[data]);
        w.Flush();
        return s.ToArray();
    }

    [Fact]
    public async Task WithNoModelConfigured_ThePageSaysSoPlainly_AndOffersNoUpload()
    {
        var (user, password) = fixture.NewUser("caseworker");
        var client = fixture.Client();
        await client.PostAsJsonAsync("/api/login", new { user, password });
        var page = await client.GetStringAsync($"/children/{TestData.Misaki}/notes");
        Assert.Contains("音声認識のモデルが設定されていません（MIMAMORI_WHISPER_MODEL）", page, StringComparison.Ordinal);
        Assert.DoesNotContain("type=\"file\"", page, StringComparison.Ordinal);

        var child = await client.GetStringAsync($"/children/{TestData.Misaki}");
        Assert.Contains($"/children/{TestData.Misaki}/notes", child, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RealWhisperLibrary_ReportsMissingAndUnloadableModels_InWords()
    {
        Assert.Contains("設定されていません", new WhisperTranscriber(null).Unavailable, StringComparison.Ordinal);
        var missing = new WhisperTranscriber("/nonexistent/ggml-base.bin");
        Assert.Contains("見つかりません", missing.Unavailable, StringComparison.Ordinal);

        // A file that is not a model: Whisper.net's native library is loaded and refuses it at Build().
        var junk = Path.Combine(Path.GetTempPath(), $"not-a-model-{Guid.NewGuid():N}.bin");
        await File.WriteAllBytesAsync(junk, new byte[4096]);
        try
        {
            var transcriber = new WhisperTranscriber(junk);
            Assert.Null(transcriber.Unavailable);
            using var wav = new MemoryStream(Wave(1));
            var result = await transcriber.Transcribe(wav, CancellationToken.None);
            Assert.Equal(string.Empty, result.Text);
            Assert.Contains("読み込めませんでした", result.Failure, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(junk);
        }
    }

    [Fact]
    public async Task Caseworker_UploadsARecording_CorrectsTheDraft_Confirms_AndTheRecordingIsDeleted()
    {
        var directory = Path.Combine(Path.GetTempPath(), "mimamori-notes-" + Guid.NewGuid().ToString("N"));
        var audio = Path.Combine(directory, "audio");
        var db = MimamoriDatabase.FromSetting(Path.Combine(directory, "mimamori.db"));
        db.Migrate();
        TestData.Insert(db);
        var accounts = DemoAccounts.Seed(db, TestData.SchoolA).ToDictionary(a => a.User);
        var app = WebApp.Build(new WebOptions(db, "http://127.0.0.1:0") { Transcriber = new StandInTranscriber(), AudioDirectory = audio });
        await app.StartAsync();
        try
        {
            var baseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
            var browser = await fixture.Browser();
            await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { Locale = "ja-JP" });
            var page = await context.NewPageAsync();
            await page.GotoAsync(new Uri(baseAddress, "/login").ToString());
            await page.FillAsync("#user", "caseworker");
            await page.FillAsync("#password", accounts["caseworker"].Password);
            await page.ClickAsync("form.login button[type=submit]");
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

            await page.GotoAsync(new Uri(baseAddress, $"/children/{TestData.Misaki}").ToString());
            await page.ClickAsync("p.notes-link a");
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            await page.SetInputFilesAsync("#audio", new FilePayload { Name = "sodan.wav", MimeType = "audio/wav", Buffer = Wave(3) });
            await page.ClickAsync("form.note-upload button[type=submit]");
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

            // The draft is the transcriber's text, waiting for the caseworker; the recording is kept until then.
            Assert.Equal("録音3秒。母親より欠席が続いていると相談があった。", await page.InputValueAsync("#note-text"));
            Assert.Single(Directory.GetFiles(audio));
            var draft = new ConsultationNotes(db).ForPerson(TestData.Misaki).Single();
            Assert.Equal((ConsultationNote.Draft, "stand-in"), (draft.Status, draft.Transcriber));

            await page.FillAsync("#note-text", "母親より、美咲さんの欠席が続いていると相談があった。次回は学校と同席で面談。");
            await page.ClickAsync("form.note-confirm button[type=submit]");
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            Assert.Contains("学校と同席で面談", await page.InnerTextAsync("div.confirmed-note"), StringComparison.Ordinal);
            Assert.Equal("確定時に削除しました", await page.InnerTextAsync("dd.audio-status"));
            Assert.Empty(Directory.GetFiles(audio));

            var note = new ConsultationNotes(db).Find(draft.NoteId)!;
            Assert.Equal(ConsultationNote.Confirmed, note.Status);
            Assert.Null(note.AudioFile);
            Assert.NotNull(note.AudioDeletedAt);
            Assert.Equal("録音3秒。母親より欠席が続いていると相談があった。", note.DraftText);
            Assert.Equal("caseworker", note.ConfirmedBy);

            var events = new AuditLog(db).Query(new AuditQuery($"person:{TestData.Misaki}", "caseworker", null, null));
            Assert.Contains(events, e => e.Action == "change" && e.Purpose == "record_entry" && e.Fields.Contains("consultation_audio"));
            Assert.Contains(events, e => e.Action == "change" && e.Fields.Contains("audio_deleted"));

            // Confirmed is final: a second confirmation changes nothing.
            Assert.False(new ConsultationNotes(db).Confirm(draft.NoteId, "上書き", "caseworker", DateTimeOffset.UtcNow));
            Assert.DoesNotContain("上書き", new ConsultationNotes(db).Find(draft.NoteId)!.NoteText, StringComparison.Ordinal);

            // School staff may not enter child-welfare records.
            await page.ClickAsync("form[action='/logout'] button");
            await page.GotoAsync(new Uri(baseAddress, "/login").ToString());
            await page.FillAsync("#user", "school_staff");
            await page.FillAsync("#password", accounts["school_staff"].Password);
            await page.ClickAsync("form.login button[type=submit]");
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            var refused = await page.GotoAsync(new Uri(baseAddress, $"/notes/{draft.NoteId}").ToString());
            Assert.Equal(403, refused!.Status);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }
}
