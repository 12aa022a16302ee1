using System.Text;
using Dapper;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Encryption;
using Mimamori.Storage.Judgement;
using Mimamori.Storage.Reading;
using Mimamori.Storage.Rights;

namespace Mimamori.Storage.Tests;

/// <summary>Decision reasons and snapshots and rights requests are AES-GCM ciphertext in the database, and open only with the right key.</summary>
public sealed class EncryptionAtRestTests
{
    private const string Reasons = "家庭訪問で母親から夫の暴力について相談を受けた";
    private const string Evidence = "欠席30日以上の証拠値";
    private const string Requester = "申請者 髙橋 和子";
    private const string Held = "住所 戸田市上戸田3-14-15";
    private static readonly DateTimeOffset Noon = new(2026, 4, 10, 3, 0, 0, TimeSpan.Zero);

    private static ColumnCipher Key(byte fill) => ColumnCipher.FromKeys([Enumerable.Repeat(fill, 32).ToArray()]);

    private static (MimamoriDatabase Db, long Judgement) Seeded(string kind, ColumnCipher cipher)
    {
        var db = TestDatabases.Create(kind).WithCipher(cipher);
        db.Migrate();
        using (var c = db.Open())
        {
            c.Execute("INSERT INTO person (person_id, family_name, given_name, family_kana, given_kana, birth_date, is_child) VALUES (1, '山田', '太郎', 'ヤマダ', 'タロウ', '2015-05-05', 1)");
        }

        var snapshot = new JudgementSnapshot(
            new DateOnly(2026, 3, 31),
            [new NeedView("futoko", 0.62, "high", [new NeedSignal("school.absence_days", Evidence, "30+ days absent", 0.55, [])], [], "rules-test")],
            null,
            "2025-11-28",
            "early_support");
        var judgement = new JudgementStore(db).Record(
            new NewJudgement(1, Decision.SupportNeeded, Reasons, new Decider("caseworker", "相談員 鈴木", "caseworker", "こども家庭センター"), null, false, snapshot), Noon);
        var rights = new RightsStore(db);
        var request = rights.RecordDisclosure(1, Requester, "本人", "運転免許証で確認", new DateOnly(2026, 4, 9), "privacy", Noon);
        rights.RecordCorrection(1, request.RequestId, "address", Held, "住所 戸田市本町1-1", "転居したため", "privacy", Noon);
        return (db, judgement.JudgementId);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void RawRowsHoldNoPlaintext_AndTheStoresReadItBack(string kind)
    {
        var (db, id) = Seeded(kind, Key(7));
        using (var c = db.Open())
        {
            var raw = c.Query<string>(
                """
                SELECT reasons FROM judgement UNION ALL SELECT snapshot FROM judgement
                UNION ALL SELECT requester FROM disclosure_request UNION ALL SELECT identity_check FROM disclosure_request
                UNION ALL SELECT held_value FROM correction_request UNION ALL SELECT requested_value FROM correction_request UNION ALL SELECT reason FROM correction_request
                """).ToList();
            Assert.Equal(7, raw.Count);
            Assert.All(raw, v => Assert.StartsWith("enc1:" + Key(7).CurrentKeyId + ":", v, StringComparison.Ordinal));
        }

        if (kind == "sqlite")
        {
            // The file itself, write-ahead log included: no sealed text in any encoding SQLite could have used.
            var file = db.Display["SQLite ".Length..];
            var bytes = new[] { file, file + "-wal" }.Where(File.Exists).SelectMany(File.ReadAllBytes).ToArray();
            foreach (var secret in new[] { Reasons, Evidence, Requester, Held })
            {
                Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)));
            }

            Assert.NotEqual(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes("相談員 鈴木")));
        }

        var stored = new JudgementStore(db).Find(id)!;
        Assert.Equal(Reasons, stored.Reasons);
        Assert.Equal(Evidence, stored.Snapshot.Needs.Single().Signals.Single().Ja);
        var correction = new RightsStore(db).Corrections(1).Single();
        Assert.Equal((Held, "転居したため"), (correction.HeldValue, correction.Reason));
        Assert.Equal(Requester, new RightsStore(db).FindDisclosure(1)!.Requester);

        // The person's own disclosure shows the text, not the ciphertext.
        var disclosure = PersonDisclosure.Read(db, 1);
        var judgement = disclosure.Sections.Single(s => s.Name == "judgement");
        Assert.Contains(Reasons, judgement.Rows.Single());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void AWrongOrMissingKey_FailsClearly_AndARotatedRingReadsOldValues(string kind)
    {
        var (db, id) = Seeded(kind, Key(7));
        var oldId = Key(7).CurrentKeyId!;

        var wrong = Assert.Throws<DataKeyException>(() => new JudgementStore(db.WithCipher(Key(8))).Find(id));
        Assert.Contains(oldId, wrong.Message, StringComparison.Ordinal);
        Assert.Contains("not configured", wrong.Message, StringComparison.Ordinal);
        Assert.Throws<DataKeyException>(() => new RightsStore(db.WithCipher(ColumnCipher.None)).Corrections(1));

        // A new key first, the old one kept after it: old values open, new ones are sealed with the new key.
        var rotated = db.WithCipher(ColumnCipher.FromKeys([Enumerable.Repeat((byte)8, 32).ToArray(), Enumerable.Repeat((byte)7, 32).ToArray()]));
        Assert.Equal(Reasons, new JudgementStore(rotated).Find(id)!.Reasons);
        new RightsStore(rotated).RecordCorrection(1, null, "name", "旧姓", "新姓", "婚姻", "privacy", Noon);
        using (var c = db.Open())
        {
            var newest = c.ExecuteScalar<string>("SELECT reason FROM correction_request ORDER BY correction_id DESC LIMIT 1");
            Assert.StartsWith("enc1:" + Key(8).CurrentKeyId + ":", newest, StringComparison.Ordinal);

            // A value moved into another column does not open there.
            c.Execute("UPDATE correction_request SET held_value = reason");
        }

        var moved = Assert.Throws<DataKeyException>(() => new RightsStore(rotated).Corrections(1));
        Assert.Contains("altered or moved", moved.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_AreParsedFromText_AndBadKeysAreRefused()
    {
        var key = ColumnCipher.NewKey();
        var cipher = ColumnCipher.Parse("# comment\n" + key + "\n", "test");
        Assert.True(cipher.Encrypts);
        Assert.Equal(cipher.CurrentKeyId, ColumnCipher.Parse("# a comment, with a comma\n" + key, "test").CurrentKeyId);
        Assert.Equal("秘密", cipher.Open(cipher.Seal("秘密", "t.c"), "t.c"));
        Assert.NotEqual(cipher.Seal("秘密", "t.c"), cipher.Seal("秘密", "t.c"));
        Assert.Throws<DataKeyException>(() => ColumnCipher.Parse("not base64!", "test"));
        Assert.Throws<DataKeyException>(() => ColumnCipher.Parse(Convert.ToBase64String(new byte[16]), "test"));
        Assert.Equal("plain", ColumnCipher.None.Seal("plain", "t.c"));
    }
}
