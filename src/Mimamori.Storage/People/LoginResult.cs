using Mimamori.Privacy.Access;

namespace Mimamori.Storage.People;

/// <summary>The result of <see cref="UserStore.Authenticate"/>.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="User">The user, when known (also on failures, so the audit trail can name the role).</param>
/// <param name="LockedUntil">When the lockout ends, for <see cref="LoginOutcome.LockedOut"/>.</param>
public sealed record LoginResult(LoginOutcome Outcome, User? User, DateTimeOffset? LockedUntil);
