using System.Text;
using Whisper.net;
using Whisper.net.Wave;

namespace Mimamori.Web.Notes;

/// <summary>What a transcriber made of a recording: a draft text, or why there is none.</summary>
/// <param name="Text">The draft (empty when it failed).</param>
/// <param name="Failure">Why nothing was transcribed, in words staff can act on; null on success.</param>
public sealed record Transcript(string Text, string? Failure);

/// <summary>Turns a recording of a consultation into a draft note, on this machine (nothing is sent anywhere).</summary>
public interface ITranscriber
{
    /// <summary>A short name stored with each draft (the model file's name).</summary>
    string Name { get; }

    /// <summary>Why this transcriber cannot run at all (no model configured, file missing); null when it can try.</summary>
    string? Unavailable { get; }

    /// <summary>Transcribes a 16 kHz WAV recording in Japanese.</summary>
    Task<Transcript> Transcribe(Stream wav, CancellationToken cancellationToken);
}

/// <summary>
/// Whisper.net with a model file the municipality provides (ggml format); the path is configuration
/// (<c>MIMAMORI_WHISPER_MODEL</c>). No model is bundled and none is ever downloaded.
/// </summary>
public sealed class WhisperTranscriber : ITranscriber
{
    /// <summary>The environment variable that holds the model file's path.</summary>
    public const string ModelSetting = "MIMAMORI_WHISPER_MODEL";

    private readonly string? modelPath;

    /// <summary>A transcriber for the model at <paramref name="modelPath"/> (null or empty: none configured).</summary>
    public WhisperTranscriber(string? modelPath)
    {
        this.modelPath = string.IsNullOrWhiteSpace(modelPath) ? null : modelPath;
    }

    /// <inheritdoc/>
    public string Name => modelPath is null ? "whisper" : "whisper:" + Path.GetFileName(modelPath);

    /// <inheritdoc/>
    public string? Unavailable => modelPath is null
        ? $"音声認識のモデルが設定されていません（{ModelSetting}）。 / No speech recognition model is configured ({ModelSetting})."
        : !File.Exists(modelPath)
            ? $"音声認識のモデルファイルが見つかりません: {modelPath} / The speech recognition model file does not exist: {modelPath}"
            : null;

    /// <inheritdoc/>
    public async Task<Transcript> Transcribe(Stream wav, CancellationToken cancellationToken)
    {
        if (Unavailable is { } why)
        {
            return new Transcript(string.Empty, why);
        }

        try
        {
            // FromPath is lazy: a file that is not a model fails only at Build, and is reported the same way.
            using var factory = WhisperFactory.FromPath(modelPath!);
            using var processor = factory.CreateBuilder().WithLanguage("ja").Build();
            var text = new StringBuilder();
            await foreach (var segment in processor.ProcessAsync(wav, cancellationToken))
            {
                text.Append(segment.Text.Trim()).Append('\n');
            }

            return new Transcript(text.ToString().Trim(), null);
        }
        catch (WhisperModelLoadException)
        {
            return new Transcript(string.Empty, $"音声認識のモデルを読み込めませんでした: {Path.GetFileName(modelPath)} / The speech recognition model could not be loaded: {Path.GetFileName(modelPath)}");
        }
        catch (Exception e) when (e is InvalidDataException or NotSupportedException or ArgumentException or IOException or CorruptedWaveException or NotSupportedWaveException or WhisperProcessingException)
        {
            return new Transcript(string.Empty, "録音を読み取れませんでした（16kHzのWAVファイルが必要です）。 / The recording could not be read (a 16 kHz WAV file is needed).");
        }
    }
}
