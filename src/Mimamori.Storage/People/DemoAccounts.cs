using System.Security.Cryptography;
using Dapper;
using Mimamori.Privacy.Access;
using Mimamori.Storage.Connection;

namespace Mimamori.Storage.People;

/// <summary>
/// One account per role for demonstrations. Passwords are random on every seeding (never a fixed demo password that
/// ends up in production); re-seeding replaces them and clears lockouts.
/// </summary>
public static class DemoAccounts
{
    // No 0/O, 1/l/I: the passwords are read off a file and typed by hand.
    private const string Alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private const int PasswordLength = 16;

    /// <summary>The demo caseworker whose scope is own_cases: only the children assigned to them.</summary>
    public const string OwnCasesUser = "caseworker_cases";

    /// <summary>
    /// Creates or replaces the demo accounts. <paramref name="schoolName"/> is the school the school_staff account
    /// belongs to; when null, the school with the most pupils in the data is used (or no school when there is none).
    /// </summary>
    public static IReadOnlyList<DemoAccount> Seed(MimamoriDatabase db, string? schoolName)
    {
        ArgumentNullException.ThrowIfNull(db);
        var school = string.IsNullOrWhiteSpace(schoolName) ? LargestSchool(db) : schoolName.Trim();
        var users = new[]
        {
            new User(Role.Caseworker, "相談員（デモ）", Role.Caseworker, "こども家庭センター", Scope.All),
            new User(Role.Supervisor, "統括（デモ）", Role.Supervisor, "こども家庭センター", Scope.All),
            new User(Role.SchoolStaff, "学校職員（デモ）", Role.SchoolStaff, school ?? "学校", school is null ? Scope.None : Scope.OwnSchool(school)),
            new User(Role.HealthNurse, "保健師（デモ）", Role.HealthNurse, "保健センター", Scope.OwnDepartment),
            new User(Role.DataSteward, "データ管理担当（デモ）", Role.DataSteward, "情報政策課", Scope.All),
            new User(Role.PrivacyOfficer, "個人情報保護担当（デモ）", Role.PrivacyOfficer, "総務課", Scope.None),
            new User(Role.Administrator, "システム管理者（デモ）", Role.Administrator, "情報政策課", Scope.None),
            new User(Role.Partner, "連携団体（デモ）", Role.Partner, "こども食堂ネットワーク", Scope.None),
            new User(OwnCasesUser, "相談員・担当ケースのみ（デモ）", Role.Caseworker, "こども家庭センター", Scope.OwnCases),
        };

        var store = new UserStore(db, TimeProvider.System);
        var accounts = new List<DemoAccount>(users.Length);
        foreach (var user in users)
        {
            var password = RandomNumberGenerator.GetString(Alphabet, PasswordLength);
            store.Save(user, password);
            accounts.Add(new DemoAccount(user.Name, password, user.Role, user.Scope.ToString()));
        }

        AssignDemoCases(db);
        return accounts;
    }

    // The own_cases caseworker holds the children with the highest need scores, as a supervisor would assign them,
    // so the demo shows a caseworker who sees their own cases and nobody else.
    private static void AssignDemoCases(MimamoriDatabase db)
    {
        List<long> children;
        using (var connection = db.Open())
        {
            children = connection.Query<long>(
                """
                SELECT n.person_id FROM need_assessment n JOIN person p ON p.person_id = n.person_id
                WHERE p.is_child = 1 AND n.band <> 'none'
                GROUP BY n.person_id ORDER BY MAX(n.score) DESC, n.person_id LIMIT 5
                """).ToList();
        }

        var cases = new Access.CaseAssignments(db);
        foreach (var child in children)
        {
            cases.Assign(child, OwnCasesUser, "こども家庭センター", "デモ用の担当割り当て / demo assignment", Role.Supervisor, DateTimeOffset.UtcNow);
        }
    }

    private static string? LargestSchool(MimamoriDatabase db)
    {
        using var connection = db.Open();
        return connection.QueryFirstOrDefault<string?>(
            """
            SELECT f.value_text FROM fact f JOIN person_record pr ON pr.record_id = f.record_id
            WHERE f.kind = 'school.name' AND f.value_text IS NOT NULL
            GROUP BY f.value_text ORDER BY COUNT(DISTINCT pr.person_id) DESC, f.value_text LIMIT 1
            """);
    }
}
