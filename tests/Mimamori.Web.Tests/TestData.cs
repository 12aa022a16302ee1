using Mimamori.Storage.Connection;

namespace Mimamori.Web.Tests;

/// <summary>
/// A small municipality written straight into the tables the pipeline fills: three households, four children (three
/// on the worklist, one with no needs), records from five departments, facts and need assessments with evidence.
/// </summary>
public static class TestData
{
    public const string SchoolA = "見守り市立第一小学校";
    public const string SchoolB = "見守り市立第二小学校";
    public const string ScriptName = "<script>alert(1)</script>";

    public const long Shota = 3;
    public const long Misaki = 4;
    public const long ScriptChild = 6;
    public const long Ichiro = 7;

    public static void Insert(MimamoriDatabase db)
    {
        using var connection = db.Open();
        using var tx = connection.BeginTransaction();

        using (var person = new BulkWriter(connection, tx, "person", ["person_id", "family_name", "given_name", "family_kana", "given_kana", "birth_date", "sex", "address", "atena_no", "household_no", "is_child"]))
        {
            person.Write(1L, "山田", "太郎", "ヤマダ", "タロウ", "1982-04-02", "1", "見守り市本町1-2-3", "A0001", "H0001", 0L);
            person.Write(2L, "山田", "花子", "ヤマダ", "ハナコ", "1985-08-15", "2", "見守り市本町1-2-3", "A0002", "H0001", 0L);
            person.Write(Shota, "山田", "翔太", "ヤマダ", "ショウタ", "2015-06-10", "1", "見守り市本町1-2-3", "A0003", "H0001", 1L);
            person.Write(Misaki, "佐藤", "美咲", "サトウ", "ミサキ", "2012-03-03", "2", "見守り市緑町4-5", "A0004", "H0002", 1L);
            person.Write(5L, "佐藤", "由美", "サトウ", "ユミ", "1988-01-20", "2", "見守り市緑町4-5", "A0005", "H0002", 0L);
            person.Write(ScriptChild, ScriptName, "次郎", "テスト", "ジロウ", "2016-11-11", "1", "見守り市川端2-8", "A0006", "H0003", 1L);
            person.Write(Ichiro, "鈴木", "一郎", "スズキ", "イチロウ", "2014-05-05", "1", "見守り市本町9-9", "A0007", "H0004", 1L);
        }

        using (var member = new BulkWriter(connection, tx, "household_member", ["household_no", "person_id", "relation"]))
        {
            member.Write("H0001", 1L, "世帯主");
            member.Write("H0001", 2L, "妻");
            member.Write("H0001", Shota, "子");
            member.Write("H0002", 5L, "世帯主");
            member.Write("H0002", Misaki, "子");
            member.Write("H0003", ScriptChild, "子");
            member.Write("H0004", Ichiro, "子");
        }

        // Shota lived with his mother in her parents' household until the family moved to the father's in 2020.
        using (var membership = new BulkWriter(connection, tx, "household_membership", ["membership_id", "person_id", "household_no", "relation", "from_date", "to_date", "ended_by", "is_current", "record_id"]))
        using (var relation = new BulkWriter(connection, tx, "person_relation", ["person_id", "other_person_id", "kind", "household_no", "from_date", "to_date"]))
        {
            membership.Write(1L, Shota, "H0009", "grandchild", "2015-06-10", "2020-04-01", "next_household", 0L, 103L);
            membership.Write(2L, 2L, "H0009", "child", null, "2020-04-01", "next_household", 0L, 102L);
            membership.Write(3L, Shota, "H0001", "child", "2020-04-01", null, null, 1L, 103L);
            membership.Write(4L, 1L, "H0001", "head", "2010-01-01", null, null, 1L, 101L);
            membership.Write(5L, 2L, "H0001", "spouse", "2020-04-01", null, null, 1L, 102L);
            relation.Write(2L, Shota, "guardian", "H0009", "2015-06-10", "2020-04-01");
            relation.Write(1L, Shota, "guardian", "H0001", "2020-04-01", null);
            relation.Write(2L, Shota, "guardian", "H0001", "2020-04-01", null);
            membership.Complete();
            relation.Complete();
        }

        var records = new List<(long Id, long Person, string Source, string Category, string File, long Line, string Original)>
        {
            (101, 1, "jumin", "resident", "jumin_2025-11.csv", 2, """{"宛名番号":"A0001","氏名":"山田 太郎","続柄":"世帯主"}"""),
            (102, 2, "jumin", "resident", "jumin_2025-11.csv", 3, """{"宛名番号":"A0002","氏名":"山田 花子","続柄":"妻"}"""),
            (103, Shota, "jumin", "resident", "jumin_2025-11.csv", 4, """{"宛名番号":"A0003","氏名":"山田 翔太","続柄":"子"}"""),
            (104, Shota, "school_attendance", "education", "shukketsu_2025-10.csv", 3, """{"児童番号":"S-0301","氏名":"山田 翔太","学校名":"見守り市立第一小学校","欠席日数":"20"}"""),
            (105, 1, "kojin_juminzei", "tax", "kazei_2025.csv", 7, """{"宛名番号":"A0001","非課税":"1"}"""),
            (106, Shota, "kenshin", "health", "kenshin_3sai.csv", 12, """{"宛名番号":"A0003","健診":"3歳児健診","受診":"受診"}"""),
            (107, Shota, "school_attendance", "education", "shukketsu_2025-09.csv", 3, """{"児童番号":"S-0301","氏名":"山田 翔太","学校名":"見守り市立第一小学校","欠席日数":"12"}"""),
            (201, Misaki, "jumin", "resident", "jumin_2025-11.csv", 5, """{"宛名番号":"A0004","氏名":"佐藤 美咲","続柄":"子"}"""),
            (202, 5, "jumin", "resident", "jumin_2025-11.csv", 6, """{"宛名番号":"A0005","氏名":"佐藤 由美","続柄":"世帯主"}"""),
            (203, Misaki, "school_attendance", "education", "shukketsu_2025-10.csv", 9, """{"児童番号":"S-0902","氏名":"佐藤 美咲","学校名":"見守り市立第二小学校","欠席日数":"3"}"""),
            (204, Misaki, "katei_sodan", "child_welfare", "sodan_2025.csv", 4, """{"相談番号":"C-17","種別":"虐待通告"}"""),
            (301, ScriptChild, "jumin", "resident", "jumin_2025-11.csv", 7, """{"宛名番号":"A0006","氏名":"<script>alert(1)</script> 次郎"}"""),
            (302, ScriptChild, "school_attendance", "education", "shukketsu_2025-10.csv", 14, """{"児童番号":"S-1403","学校名":"見守り市立第一小学校","欠席日数":"1"}"""),
            (303, ScriptChild, "kenshin", "health", "kenshin_3sai.csv", 30, """{"宛名番号":"A0006","健診":"3歳児健診","受診":"未受診"}"""),
            (401, Ichiro, "jumin", "resident", "jumin_2025-11.csv", 8, """{"宛名番号":"A0007","氏名":"鈴木 一郎"}"""),
            (402, Ichiro, "school_attendance", "education", "shukketsu_2025-10.csv", 20, """{"児童番号":"S-2004","学校名":"見守り市立第一小学校","欠席日数":"0"}"""),
        };

        using (var source = new BulkWriter(connection, tx, "source_record", ["record_id", "batch_id", "source", "category", "file", "line", "original"]))
        using (var link = new BulkWriter(connection, tx, "person_record", ["record_id", "person_id", "method", "weight", "explanation"]))
        {
            foreach (var r in records)
            {
                source.Write(r.Id, 1L, r.Source, r.Category, r.File, r.Line, r.Original);
                link.Write(r.Id, r.Person, r.Id == 302 ? "probabilistic" : "atena", r.Id == 302 ? 9.4 : 20.0, "{}");
            }
        }

        using (var fact = new BulkWriter(connection, tx, "fact", ["record_id", "kind", "fact_date", "value_text", "value_num"]))
        {
            fact.Write(104L, "school.name", "2025-10-31", SchoolA, null);
            fact.Write(104L, "school.absence_days", "2025-10-31", null, 20.0);
            fact.Write(107L, "school.name", "2025-09-30", SchoolA, null);
            fact.Write(107L, "school.absence_days", "2025-09-30", null, 12.0);
            fact.Write(105L, "tax.hikazei", "2025-06-01", "1", null);
            fact.Write(106L, "health.checkup_attended", "2018-07-05", "受診", null);
            fact.Write(203L, "school.name", "2025-10-31", SchoolB, null);
            fact.Write(204L, "cw.consultation_type", "2025-09-12", "虐待通告", null);
            fact.Write(302L, "school.name", "2025-10-31", SchoolA, null);
            fact.Write(303L, "health.checkup_attended", "2019-12-02", "未受診", null);
            fact.Write(402L, "school.name", "2025-10-31", SchoolA, null);
        }

        using (var need = new BulkWriter(connection, tx, "need_assessment", ["person_id", "difficulty", "score", "band", "signals", "missing", "model_version"]))
        {
            need.Write(Shota, "futoko", 0.82, "high",
                """[{"rule":"futoko.absence_30","ja":"この1年の欠席が30日以上","en":"30 or more days absent in the last 12 months","weight":0.55,"evidence":[{"source":"school_attendance","record_id":104,"date":"2025-10-31","value":"20"},{"source":"school_attendance","record_id":107,"date":"2025-09-30","value":"12"}]}]""",
                """["medical"]""", "rules-2026.1");
            need.Write(Shota, "poverty", 0.45, "medium",
                """[{"rule":"poverty.hikazei","ja":"住民税非課税世帯","en":"Household exempt from resident tax","weight":0.4,"evidence":[{"source":"kojin_juminzei","record_id":105,"date":"2025-06-01","value":"1"}]}]""",
                "[]", "rules-2026.1");
            need.Write(Misaki, "abuse_neglect", 0.6, "medium",
                """[{"rule":"abuse.report_24m","ja":"24か月以内に虐待通告がある","en":"An abuse report in the last 24 months","weight":0.6,"evidence":[{"source":"katei_sodan","record_id":204,"date":"2025-09-12","value":"虐待通告"}]}]""",
                """["kenshin"]""", "rules-2026.1");
            need.Write(ScriptChild, "health_neglect", 0.2, "low",
                """[{"rule":"health.checkup_missed","ja":"乳幼児健診が未受診","en":"Missed an infant health check-up","weight":0.3,"evidence":[{"source":"kenshin","record_id":303,"date":"2019-12-02","value":"未受診"}]}]""",
                "[]", "rules-2026.1");
            need.Write(Ichiro, "futoko", 0.0, "none", "[]", "[]", "rules-2026.1");
        }

        // As detect does, the worklist's ranking is written with the assessments.
        Storage.Reading.WorklistRanking.Rebuild(connection, tx, DateTimeOffset.UnixEpoch);
        tx.Commit();
    }
}
