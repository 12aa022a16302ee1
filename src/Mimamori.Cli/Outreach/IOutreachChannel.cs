using Mimamori.Support.Outreach;

namespace Mimamori.Cli.Outreach;

/// <summary>One way a message reaches a family. There are two: a printed letter and an e-mail (the inbox shows every sent message regardless).</summary>
public interface IOutreachChannel
{
    /// <summary><c>letter</c> or <c>email</c>, as stored on the message.</summary>
    string Name { get; }

    /// <summary>Delivers the message; the outcome's state is <c>sent</c> or <c>delivered</c>, or it throws.</summary>
    Task<string> DeliverAsync(long messageId, string? recipient, Letter letter, CancellationToken cancellationToken);
}
