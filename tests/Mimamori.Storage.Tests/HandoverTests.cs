using System.Text;
using System.Text.Json;
using Dapper;
using Mimamori.Privacy.Access;
using Mimamori.Privacy.Handover;
using Mimamori.Storage.Casework;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Encryption;
using Mimamori.Storage.Handover;
using Mimamori.Storage.Judgement;

namespace Mimamori.Storage.Tests;

/// <summary>
/// The hand-over package when a family moves (転出): made only under a basis, readable only by the recipient, checked
/// for origin and tampering, holding only the documented fields, and recorded encrypted on the receiving side.
/// </summary>
public sealed class HandoverTests
{
    private const long Child = 1;
    private const string ScoreMarker = "SCOREMARK-0.87";
    private const string TaxMarker = "TAXMARK-3210000";
    private static readonly DateTimeOffset Noon = new(2026, 11, 20, 3, 0, 0, TimeSpan.Zero);
    private static readonly HandoverContact Contact = new("相談員 鈴木", "見守り市こども家庭センター", "048-000-0000");

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void Package_RoundTrips_FromTheSendingStoreToTheReceivingStore_EncryptedAtRest(string kind)
    {
        var sending = Seeded(kind);
        using var senderKey = HandoverPrivateKey.Create("見守り市");
        using var receiverKey = HandoverPrivateKey.Create("転出先市");
        var (content, package) = new HandoverExport(sending, AccessPolicy.Default)
            .Produce(new HandoverRequest(Child, LegalBasis.Appi69Provision, null, string.Empty, Contact, null), senderKey, receiverKey.Public, Noon);

        // Nothing of the family is readable in the file.
        foreach (var secret in new[] { "山田", "ヤマダ", "2015-05-05", "登校の再開", "家庭訪問", "夜間に一人で過ごす", "転出先市新町1-2-3", "048-000-0000" })
        {
            Assert.DoesNotContain(secret, package, StringComparison.Ordinal);
        }

        var receiving = TestDatabases.Create(kind).WithCipher(ColumnCipher.FromKeys([new byte[32].Select((_, i) => (byte)(i + 1)).ToArray()]));
        receiving.Migrate();
        using (var c = receiving.Open())
        {
            // The child as the receiving registry holds it after 転入: full-width name with a space, hiragana reading.
            c.Execute("INSERT INTO person (person_id, family_name, given_name, family_kana, given_kana, birth_date, household_no, is_child) VALUES (501, '山田', '太郎', 'やまだ', 'たろう', '2015-05-05', 'R1', 1)");
            c.Execute("INSERT INTO person (person_id, family_name, given_name, family_kana, given_kana, birth_date, household_no, is_child) VALUES (502, '山田', '太郎', 'ヤマダ', 'タロウ', '2016-05-05', 'R2', 1)");
        }

        var store = new HandoverStore(receiving);
        var received = store.Import(package, receiverKey, senderKey.Public, "receiver", Noon.AddDays(1), "package.json");
        Assert.Equal(("見守り市", senderKey.Public.Fingerprint, true, HandoverStatus.New), (received.Sender, received.SenderKey, received.SenderVerified, received.Status));
        Assert.Equal(JsonSerializer.Serialize(content), JsonSerializer.Serialize(received.Content));

        var got = received.Content;
        Assert.Equal(new HandoverPerson("山田", "太郎", "ヤマダ", "タロウ", "2015-05-05", "M"), got.Child);
        Assert.Equal([new HandoverGuardian("山田", "花子", "ヤマダ", "ハナコ", "1985-01-02", "F", "mother")], got.Guardians);
        Assert.Equal(new HandoverMove("2026-11-15", "転出先市新町1-2-3"), got.Move);
        Assert.Equal(new HandoverYotaikyo(true, YotaikyoKind.Protection, "2026-04-01"), got.Yotaikyo);
        Assert.Equal([new HandoverPlan("登校の再開", "学習支援、家庭訪問", "こども家庭センター", "2026-12-31")], got.Plans);
        Assert.Equal([new HandoverTask("家庭訪問", "2026-12-01")], got.OpenTasks);
        Assert.Equal(new HandoverDecision(Decision.SupportNeeded, "2026-10-01", "夜間に一人で過ごすことが多い"), got.LatestDecision);
        Assert.Equal((LegalBasis.Appi69Provision, (long?)null), (got.Basis.Id, got.Basis.ConsentId));
        Assert.Equal(Contact, got.Caseworker);

        // At rest the content is ciphertext; the store reads it back.
        using (var c = receiving.Open())
        {
            var raw = c.ExecuteScalar<string>("SELECT content FROM handover_received");
            Assert.StartsWith("enc1:", raw, StringComparison.Ordinal);
            Assert.DoesNotContain("山田", raw, StringComparison.Ordinal);
        }

        // The candidate is found through the name keys (width, spaces, kana folded) and the exact birth date only.
        Assert.Equal([501L], store.Candidates(got.Child).Select(p => p.PersonId));
        Assert.True(store.Link(received.HandoverId, 501, "receiver", Noon.AddDays(2)));
        Assert.False(store.Link(received.HandoverId, 99999, "receiver", Noon.AddDays(2)));
        var linked = store.Find(received.HandoverId)!;
        Assert.Equal((HandoverStatus.Linked, (long?)501, "receiver"), (linked.Status, linked.PersonId, linked.LinkedBy));

        // Once linked, the received case is part of what a 本人開示 request discloses, opened.
        var disclosed = Rights.PersonDisclosure.Read(receiving, 501).Sections.Single(x => x.Name == "handover_received");
        Assert.Contains(Assert.Single(disclosed.Rows), v => v is not null && v.Contains("夜間に一人で過ごす", StringComparison.Ordinal));

        // The same file is imported once.
        Assert.Throws<InvalidOperationException>(() => store.Import(package, receiverKey, senderKey.Public, "receiver", Noon.AddDays(3), "package.json"));
        Assert.Single(store.All());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void Package_HoldsOnlyTheDocumentedFields_AndNoScoreOrTaxValue(string kind)
    {
        var db = Seeded(kind);
        using var senderKey = HandoverPrivateKey.Create("見守り市");
        using var receiverKey = HandoverPrivateKey.Create("転出先市");
        var (_, package) = new HandoverExport(db, AccessPolicy.Default)
            .Produce(new HandoverRequest(Child, LegalBasis.ChildWelfare25, null, string.Empty, Contact, null), senderKey, receiverKey.Public, Noon);
        var plain = HandoverPackage.Open(package, receiverKey, senderKey.Public, "package").Content;

        using var json = JsonDocument.Parse(plain);
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        Flatten(json.RootElement, string.Empty, paths);
        var outside = paths.Except(HandoverContent.Fields).ToList();
        Assert.True(outside.Count == 0, "fields outside the documented list: " + string.Join(", ", outside));
        // Every documented field is actually written (lists are not empty in the seeded case), so the list is not stale.
        Assert.Equal(HandoverContent.Fields.Order(StringComparer.Ordinal), paths);

        var text = Encoding.UTF8.GetString(plain);
        Assert.DoesNotContain(ScoreMarker, text, StringComparison.Ordinal);
        Assert.DoesNotContain(TaxMarker, text, StringComparison.Ordinal);
        Assert.DoesNotContain("0.87", text, StringComparison.Ordinal);
        Assert.DoesNotContain("A0001", text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void Export_WithoutABasisOrConsent_IsRefused(string kind)
    {
        var db = Seeded(kind);
        var export = new HandoverExport(db, AccessPolicy.Default);
        using var senderKey = HandoverPrivateKey.Create("見守り市");
        using var receiverKey = HandoverPrivateKey.Create("転出先市");
        string Refusal(long person, string basis, long? consent) => Assert.Throws<HandoverRefusedException>(
            () => export.Produce(new HandoverRequest(person, basis, consent, string.Empty, Contact, null), senderKey, receiverKey.Public, Noon)).Code;

        Assert.Equal([LegalBasis.Appi69Provision, LegalBasis.ChildWelfare25, LegalBasis.Consent], export.Bases.Select(b => b.Id));
        Assert.Equal("no_basis", Refusal(Child, string.Empty, null));
        Assert.Equal("no_basis", Refusal(Child, LegalBasis.Appi69, null));
        Assert.Equal("no_consent", Refusal(Child, LegalBasis.Consent, null));

        var consents = new ReferralStore(db);
        var other = consents.RecordConsent(new NewConsent(Child, "H1", "別の市", "転出時の引継ぎ", [ReferralField.Name], "母 山田花子", new DateOnly(2026, 11, 1), "caseworker"));
        Assert.Equal("no_consent", Refusal(Child, LegalBasis.Consent, other.ConsentId));
        var right = consents.RecordConsent(new NewConsent(Child, "H1", "転出先市", "転出時の引継ぎ", [ReferralField.Name], "母 山田花子", new DateOnly(2026, 11, 1), "caseworker"));
        Assert.Equal("no_consent", Refusal(2, LegalBasis.Consent, right.ConsentId));
        var (content, _) = export.Produce(new HandoverRequest(Child, LegalBasis.Consent, right.ConsentId, string.Empty, Contact, null), senderKey, receiverKey.Public, Noon);
        Assert.Equal((right.ConsentId, "母 山田花子", "2026-11-01"), (content.Basis.ConsentId!.Value, content.Basis.ConsentGivenBy, content.Basis.ConsentGivenOn));
        consents.WithdrawConsent(right.ConsentId, "caseworker", "撤回の申出", Noon);
        Assert.Equal("no_consent", Refusal(Child, LegalBasis.Consent, right.ConsentId));

        // 要対協 sharing only for a child registered with the 要対協; no such person at all.
        Assert.Equal("not_registered", Refusal(2, LegalBasis.ChildWelfare25, null));
        Assert.Equal("not_found", Refusal(999, LegalBasis.Appi69Provision, null));
    }

    [Fact]
    public void TamperedPackage_IsRefused()
    {
        var db = Seeded("sqlite");
        using var senderKey = HandoverPrivateKey.Create("見守り市");
        using var receiverKey = HandoverPrivateKey.Create("転出先市");
        var (_, package) = new HandoverExport(db, AccessPolicy.Default)
            .Produce(new HandoverRequest(Child, LegalBasis.Appi69Provision, null, string.Empty, Contact, null), senderKey, receiverKey.Public, Noon);
        Assert.NotEmpty(HandoverPackage.Open(package, receiverKey, senderKey.Public, "package").Content);

        var file = JsonNode(package);
        foreach (var field in new[] { "ciphertext", "tag", "nonce", "signature", "ephemeral" })
        {
            var altered = JsonNode(package);
            altered[field] = Flip(file[field]!.GetValue<string>());
            Assert.Throws<HandoverException>(() => HandoverPackage.Open(altered.ToJsonString(), receiverKey, senderKey.Public, "package"));
            Assert.Throws<HandoverException>(() => HandoverPackage.Open(altered.ToJsonString(), receiverKey, null, "package"));
        }

        // Someone who re-signs an altered package with their own key is not the sender named on the command line.
        using var forger = HandoverPrivateKey.Create("見守り市");
        var forged = HandoverPackage.Seal(Encoding.UTF8.GetBytes("{}"), forger, receiverKey.Public);
        Assert.Throws<HandoverException>(() => HandoverPackage.Open(forged, receiverKey, senderKey.Public, "package"));
        Assert.False(HandoverPackage.Open(forged, receiverKey, null, "package").SenderKnown);

        // A changed sender name in the header breaks the signature; a truncated file is not a package.
        var renamed = JsonNode(package);
        renamed["sender"]!["municipality"] = "別の市";
        Assert.Throws<HandoverException>(() => HandoverPackage.Open(renamed.ToJsonString(), receiverKey, null, "package"));
        Assert.Throws<HandoverException>(() => HandoverPackage.Open(package[..(package.Length / 2)], receiverKey, null, "package"));
    }

    [Fact]
    public void WrongKey_IsRefused()
    {
        var db = Seeded("sqlite");
        using var senderKey = HandoverPrivateKey.Create("見守り市");
        using var receiverKey = HandoverPrivateKey.Create("転出先市");
        using var otherCity = HandoverPrivateKey.Create("転出先市");
        var (_, package) = new HandoverExport(db, AccessPolicy.Default)
            .Produce(new HandoverRequest(Child, LegalBasis.Appi69Provision, null, string.Empty, Contact, null), senderKey, receiverKey.Public, Noon);
        var wrongReceiver = Assert.Throws<HandoverException>(() => HandoverPackage.Open(package, otherCity, null, "package"));
        Assert.Contains("not for this key", wrongReceiver.Message, StringComparison.Ordinal);

        // Even with the header rewritten to name the other key, the content does not decrypt under it.
        var rewritten = JsonNode(package);
        rewritten["recipient"]!["fingerprint"] = otherCity.Public.Fingerprint;
        Assert.Throws<HandoverException>(() => HandoverPackage.Open(rewritten.ToJsonString(), otherCity, null, "package"));

        // A sender key other than the signer's.
        Assert.Throws<HandoverException>(() => HandoverPackage.Open(package, receiverKey, otherCity.Public, "package"));

        // Key files read back as the same keys; an altered fingerprint or a private key given as public is refused.
        Assert.True(HandoverPublicKey.Parse(senderKey.Public.ToText(), "pub").SameKeys(senderKey.Public));
        using var again = HandoverPrivateKey.Parse(receiverKey.ToText(), "key");
        Assert.NotEmpty(HandoverPackage.Open(package, again, senderKey.Public, "package").Content);
        Assert.Throws<HandoverException>(() => HandoverPublicKey.Parse(senderKey.Public.ToText().Replace(senderKey.Public.Fingerprint, "0000000000000000", StringComparison.Ordinal), "pub"));
        Assert.Throws<HandoverException>(() => HandoverPublicKey.Parse(senderKey.ToText(), "pub"));
    }

    [Fact]
    public void KeyFolder_WritesThePrivateKeyOwnerOnly_AndNeverOverwritesIt()
    {
        var dir = Path.Combine(Path.GetTempPath(), "mimamori-handover-" + Guid.NewGuid().ToString("N"));
        var folder = new HandoverKeyFolder(dir);
        var pub = folder.Create("見守り市");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(folder.PrivatePath));
        }

        using (var own = folder.OwnKey())
        {
            Assert.True(own.Public.SameKeys(pub));
        }

        Assert.True(HandoverKeyFolder.ReadPublic(Path.Combine(dir, HandoverKeyFolder.PublicFile)).SameKeys(pub));
        Assert.Throws<IOException>(() => folder.Create("見守り市"));

        Directory.CreateDirectory(folder.RecipientsDirectory);
        using (var partner = HandoverPrivateKey.Create("転出先市"))
        {
            File.WriteAllText(Path.Combine(folder.RecipientsDirectory, "tenshutsu.pub"), partner.Public.ToText());
        }

        File.WriteAllText(Path.Combine(folder.RecipientsDirectory, "broken.pub"), "not a key");
        Assert.Equal(["tenshutsu.pub"], folder.Recipients().Select(r => r.File));
        Directory.Delete(dir, recursive: true);
    }

    /// <summary>
    /// A child in a two-person household with a 転出 in the registry, a 要対協 registration, an active plan with an open
    /// and a done task, an ended plan, two decisions (the latest current), a need score and a tax fact.
    /// </summary>
    internal static MimamoriDatabase Seeded(string kind)
    {
        var db = PlanStoreTests.Seeded(kind);
        using (var c = db.Open())
        {
            c.Execute("UPDATE person SET given_name = '太郎', sex = 'M', atena_no = 'A0001' WHERE person_id = 1");
            c.Execute("INSERT INTO person (person_id, family_name, given_name, family_kana, given_kana, birth_date, sex, household_no, is_child) VALUES (10, '山田', '花子', 'ヤマダ', 'ハナコ', '1985-01-02', 'F', 'H1', 0)");
            c.Execute("INSERT INTO household_member (household_no, person_id, relation) VALUES ('H1', 1, 'child'), ('H1', 10, 'mother')");
            c.Execute("INSERT INTO source_record (record_id, batch_id, source, category, file, line, original) VALUES (1, 1, 'jumin_idou', 'resident', 'idou.csv', 2, '{}'), (2, 1, 'kazei', 'tax', 'kazei.csv', 2, '{}')");
            c.Execute("INSERT INTO person_record (record_id, person_id, method, weight, explanation) VALUES (1, 1, 'deterministic', 20, ''), (2, 1, 'deterministic', 20, '')");
            c.Execute("INSERT INTO fact (record_id, kind, fact_date, value_text) VALUES (1, 'resident.event', '2026-11-15', 'move_out'), (1, 'resident.other_address', '2026-11-15', '転出先市新町1-2-3'), (2, 'tax.income', '2026-06-01', @tax)", new { tax = TaxMarker });
            c.Execute("INSERT INTO need_assessment (person_id, difficulty, score, band, signals, missing, model_version) VALUES (1, 'cw_case', 0.87, 'high', @signals, '[]', 'v1')", new { signals = "[\"" + ScoreMarker + "\"]" });
        }

        new YotaikyoStore(db).Register(Child, YotaikyoKind.Protection, new DateOnly(2026, 4, 1), "caseworker", Noon);
        var plans = new PlanStore(db);
        var ended = plans.Create(new NewPlan(Child, null, "古い目標", "", "こども家庭センター", new DateOnly(2026, 5, 1), "caseworker"), Noon);
        plans.Update(ended.PlanId, new DateOnly(2026, 5, 1), PlanStatus.Ended, "caseworker", Noon);
        var plan = plans.Create(new NewPlan(Child, null, "登校の再開", "学習支援、家庭訪問", "こども家庭センター", new DateOnly(2026, 12, 31), "caseworker"), Noon);
        plans.AddTask(new NewTask(plan.PlanId, "家庭訪問", new DateOnly(2026, 12, 1), "相談員 鈴木", "caseworker"), Noon);
        var done = plans.AddTask(new NewTask(plan.PlanId, "学校と面談", new DateOnly(2026, 10, 1), "相談員 鈴木", "caseworker"), Noon);
        plans.CompleteTask(done.TaskId, "caseworker", Noon);

        var judgements = new JudgementStore(db);
        var by = new Decider("caseworker", "相談員 鈴木", Role.Caseworker, "こども家庭センター");
        var snapshot = new JudgementSnapshot(null, [], null, "test", Purpose.SupportDecision);
        judgements.Record(new NewJudgement(Child, Decision.Watch, "様子を見る", by, null, false, snapshot), new DateTimeOffset(2026, 9, 1, 3, 0, 0, TimeSpan.Zero));
        judgements.Record(new NewJudgement(Child, Decision.SupportNeeded, "夜間に一人で過ごすことが多い", by, null, false, snapshot), new DateTimeOffset(2026, 10, 1, 3, 0, 0, TimeSpan.Zero));
        return db;
    }

    private static void Flatten(JsonElement element, string path, SortedSet<string> paths)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Flatten(property.Value, path.Length == 0 ? property.Name : path + "." + property.Name, paths);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Flatten(item, path + "[]", paths);
                }

                break;
            default:
                paths.Add(path);
                break;
        }
    }

    private static System.Text.Json.Nodes.JsonObject JsonNode(string text) => System.Text.Json.Nodes.JsonNode.Parse(text)!.AsObject();

    // Changes one base64 character so the decoded bytes differ but stay valid base64.
    private static string Flip(string base64)
    {
        var chars = base64.ToCharArray();
        var i = chars.Length / 2;
        chars[i] = chars[i] == 'A' ? 'B' : 'A';
        return new string(chars);
    }
}
