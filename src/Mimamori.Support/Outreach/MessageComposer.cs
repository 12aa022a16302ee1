using Mimamori.Kernel.Dates;
using Mimamori.Support.Programs;

namespace Mimamori.Support.Outreach;

/// <summary>Turns a program's letter template and a wording (variant) into the text a family reads.</summary>
public static class MessageComposer
{
    /// <summary>The program's own subject and body.</summary>
    public const string Plain = "plain";

    /// <summary>やさしい日本語: short sentences, kana, everyday words.</summary>
    public const string Easy = "easy";

    /// <summary>The plain offer framed with a reply-by date (a commitment device, as in 加賀's nudges).</summary>
    public const string Deadline = "deadline";

    /// <summary>English.</summary>
    public const string English = "en";

    /// <summary>The wordings a program offers: plain first, then its variants in catalog order.</summary>
    public static IReadOnlyList<string> VariantsOf(SupportProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        return [Plain, .. program.Letter.Variants.Keys];
    }

    /// <summary>
    /// Composes the offer. <paramref name="deadline"/> fills <c>{deadline}</c>. Throws when the variant is unknown or
    /// the result contains a forbidden word, so that a badly edited catalog stops a campaign instead of reaching a family.
    /// </summary>
    public static ComposedMessage Compose(SupportProgram program, string variant, DateOnly deadline)
    {
        ArgumentNullException.ThrowIfNull(program);
        ComposedMessage message;
        if (variant == Plain)
        {
            message = new ComposedMessage(program.Id, Plain, "ja", program.Letter.Subject, program.Letter.Body, program.ApplyWith, program.Where, program.Contact);
        }
        else if (program.Letter.Variants.TryGetValue(variant, out var v))
        {
            var date = v.Language == "en" ? deadline.ToString("d MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture) : Wareki.Format(deadline);
            message = new ComposedMessage(
                program.Id,
                variant,
                v.Language,
                Fill(v.Subject.Length > 0 ? v.Subject : program.Letter.Subject, date),
                Fill(v.Body.Length > 0 ? v.Body : program.Letter.Body, date),
                v.ApplyWith ?? program.ApplyWith,
                v.Where ?? program.Where,
                v.Contact ?? program.Contact);
        }
        else
        {
            throw new ArgumentException($"program {program.Id} has no wording '{variant}'", nameof(variant));
        }

        ForbiddenWords.Ensure(string.Join("\n", message.Subject, message.Body, message.ApplyWith, message.Where, message.Contact), $"program {program.Id}, wording {variant}");
        return message;
    }

    private static string Fill(string text, string date) => text.Replace("{deadline}", date, StringComparison.Ordinal);
}
