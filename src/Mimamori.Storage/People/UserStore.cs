using Dapper;
using Mimamori.Privacy.Access;
using Mimamori.Privacy.Accounts;
using Mimamori.Privacy.Audit;
using Mimamori.Storage.Connection;

namespace Mimamori.Storage.People;

/// <summary>
/// Staff accounts in <c>app_user</c>. After <see cref="MaxFailures"/> consecutive wrong passwords an account is
/// locked for <see cref="LockoutDuration"/>, which turns online password guessing into a years-long job.
/// </summary>
public sealed class UserStore
{
    /// <summary>Consecutive failures that lock an account.</summary>
    public const int MaxFailures = 5;

    /// <summary>How long a lockout lasts.</summary>
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    private readonly MimamoriDatabase database;
    private readonly TimeProvider clock;

    /// <summary>Uses the given database and clock (the clock decides when lockouts end).</summary>
    public UserStore(MimamoriDatabase database, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(clock);
        this.database = database;
        this.clock = clock;
    }

    /// <summary>The user with this login name, or null.</summary>
    public StoredUser? Find(string userName)
    {
        using var connection = database.Open();
        var row = connection.QuerySingleOrDefault<UserRow>(
            """
            SELECT user_name AS UserName, display_name AS DisplayName, password_hash AS PasswordHash, role AS Role,
                   organisation AS Organisation, scope AS Scope, failed_logins AS FailedLogins, locked_until AS LockedUntil
            FROM app_user WHERE user_name = @userName
            """,
            new { userName });
        return row is null
            ? null
            : new StoredUser(
                new User(row.UserName, row.DisplayName, row.Role, row.Organisation, Scope.Parse(row.Scope).For(row.UserName)),
                row.PasswordHash,
                row.FailedLogins,
                row.LockedUntil is null ? null : AuditChain.ParseTime(row.LockedUntil));
    }

    /// <summary>Every account of the given roles (no password hashes), by organisation and name.</summary>
    public IReadOnlyList<User> Staff(params string[] roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        using var connection = database.Open();
        return connection.Query<UserRow>(
            "SELECT user_name AS UserName, display_name AS DisplayName, role AS Role, organisation AS Organisation, scope AS Scope FROM app_user " +
            "WHERE role IN " + SqlLists.Texts(roles) + " ORDER BY organisation, user_name")
            .Select(r => new User(r.UserName, r.DisplayName, r.Role, r.Organisation, Scope.Parse(r.Scope).For(r.UserName)))
            .ToList();
    }

    /// <summary>Creates a user, or replaces the one with the same name (password reset, failures cleared).</summary>
    public void Save(User user, string password)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentException.ThrowIfNullOrEmpty(password);
        var hash = PasswordHasher.Hash(password);
        using var connection = database.Open();
        using var tx = connection.BeginTransaction();
        connection.Execute("DELETE FROM app_user WHERE user_name = @name", new { name = user.Name }, tx);
        connection.Execute(
            """
            INSERT INTO app_user (user_name, display_name, password_hash, role, organisation, scope, failed_logins, locked_until)
            VALUES (@name, @display, @hash, @role, @organisation, @scope, 0, NULL)
            """,
            new { name = user.Name, display = user.DisplayName, hash, role = user.Role, organisation = user.Organisation, scope = user.Scope.ToString() },
            tx);
        tx.Commit();
    }

    /// <summary>
    /// Checks a sign-in: a locked account is refused without looking at the password; a wrong password is counted
    /// and the <see cref="MaxFailures"/>th locks the account; a success clears the count.
    /// </summary>
    public LoginResult Authenticate(string userName, string password)
    {
        var stored = Find(userName ?? string.Empty);
        if (stored is null)
        {
            PasswordHasher.VerifyNothing(password);
            return new LoginResult(LoginOutcome.UnknownUser, null, null);
        }

        var now = clock.GetUtcNow();
        if (stored.LockedUntil is { } until && until > now)
        {
            return new LoginResult(LoginOutcome.LockedOut, stored.User, until);
        }

        if (!PasswordHasher.Verify(password ?? string.Empty, stored.PasswordHash))
        {
            var lockedUntil = RecordFailedLogin(stored.User.Name, now);
            return lockedUntil is null
                ? new LoginResult(LoginOutcome.WrongPassword, stored.User, null)
                : new LoginResult(LoginOutcome.LockedOut, stored.User, lockedUntil);
        }

        using (var connection = database.Open())
        {
            connection.Execute("UPDATE app_user SET failed_logins = 0, locked_until = NULL WHERE user_name = @name", new { name = stored.User.Name });
        }

        return new LoginResult(LoginOutcome.Success, stored.User, null);
    }

    // Counting in SQL (failed_logins + 1) keeps concurrent wrong guesses from overwriting each other's count.
    private DateTimeOffset? RecordFailedLogin(string userName, DateTimeOffset now)
    {
        using var connection = database.Open();
        using var tx = connection.BeginTransaction();
        connection.Execute("UPDATE app_user SET failed_logins = failed_logins + 1 WHERE user_name = @userName", new { userName }, tx);
        var failures = connection.ExecuteScalar<long>("SELECT failed_logins FROM app_user WHERE user_name = @userName", new { userName }, tx);
        DateTimeOffset? lockedUntil = null;
        if (failures >= MaxFailures)
        {
            lockedUntil = now + LockoutDuration;
            connection.Execute(
                "UPDATE app_user SET failed_logins = 0, locked_until = @until WHERE user_name = @userName",
                new { userName, until = AuditChain.FormatTime(lockedUntil.Value) },
                tx);
        }

        tx.Commit();
        return lockedUntil;
    }

    private sealed class UserRow
    {
        public string UserName { get; set; } = string.Empty;

        public string DisplayName { get; set; } = string.Empty;

        public string PasswordHash { get; set; } = string.Empty;

        public string Role { get; set; } = string.Empty;

        public string Organisation { get; set; } = string.Empty;

        public string Scope { get; set; } = string.Empty;

        public long FailedLogins { get; set; }

        public string? LockedUntil { get; set; }
    }
}
