using Mimamori.Privacy.Access;

namespace Mimamori.Storage.People;

/// <summary>A row of <c>app_user</c>: the user, the password hash and the sign-in failure state.</summary>
/// <param name="User">The user as access decisions see them.</param>
/// <param name="PasswordHash">PBKDF2 hash (see <see cref="Mimamori.Privacy.Accounts.PasswordHasher"/>).</param>
/// <param name="FailedLogins">Consecutive failed sign-ins since the last success or lockout.</param>
/// <param name="LockedUntil">When a lockout ends; null when not locked.</param>
public sealed record StoredUser(User User, string PasswordHash, long FailedLogins, DateTimeOffset? LockedUntil);
