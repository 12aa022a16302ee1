using Mimamori.Kernel.Dates;

namespace Mimamori.Web.Rendering;

/// <summary>
/// Words for stored codes. A band is always shown with what it means for the worker's next step, never as a bare
/// number: a percentage invites reading it as a probability of harm, which it is not.
/// </summary>
public static class Labels
{
    /// <summary>Difficulty codes in display order.</summary>
    public static IReadOnlyList<string> Difficulties { get; } =
        ["abuse_neglect", "poverty", "futoko", "young_carer", "developmental", "postnatal_depression", "health_neglect", "no_contact"];

    /// <summary>Band codes, highest first.</summary>
    public static IReadOnlyList<string> Bands { get; } = ["high", "medium", "low", "none"];

    /// <summary>Name of a difficulty.</summary>
    public static string Difficulty(Ui ui, string code) => code switch
    {
        "poverty" => ui.T("経済的困窮", "Financial hardship"),
        "abuse_neglect" => ui.T("虐待・ネグレクトの懸念", "Possible abuse or neglect"),
        "futoko" => ui.T("不登校・不登校傾向", "School non-attendance"),
        "young_carer" => ui.T("ヤングケアラー", "Young carer"),
        "developmental" => ui.T("発達の課題", "Developmental needs"),
        "postnatal_depression" => ui.T("産後うつ（保護者）", "Postnatal depression (parent)"),
        "health_neglect" => ui.T("健康・受診の放置", "Health neglect"),
        "no_contact" => ui.T("状況が把握できていない", "No contact, situation unknown"),
        _ => code,
    };

    /// <summary>Short name of a band.</summary>
    public static string Band(Ui ui, string band) => band switch
    {
        "high" => ui.T("高", "High"),
        "medium" => ui.T("中", "Medium"),
        "low" => ui.T("低", "Low"),
        "none" => ui.T("なし", "None"),
        _ => band,
    };

    /// <summary>What a band asks of the worker.</summary>
    public static string BandMeaning(Ui ui, string band) => band switch
    {
        "high" => ui.T("強いサインが重なっています。早めに状況を確認してください", "Several strong signs; check the situation soon"),
        "medium" => ui.T("サインがあります。近いうちに確認してください", "Some signs; check in the coming weeks"),
        "low" => ui.T("弱いサインがあります。気にかけてください", "Weak signs; keep an eye on it"),
        "none" => ui.T("サインは見つかっていません（データのない項目は判定していません）", "No signs found (sources without data were not judged)"),
        _ => string.Empty,
    };

    /// <summary>Name of a fact kind; unknown kinds are shown as stored.</summary>
    public static string FactKind(Ui ui, string kind) => kind switch
    {
        "school.name" => ui.T("在籍校", "School"),
        "school.grade" => ui.T("学年", "Grade"),
        "school.absence_days" => ui.T("欠席日数", "Days absent"),
        "school.late_days" => ui.T("遅刻日数", "Days late"),
        "school.nurse_visits" => ui.T("保健室利用", "Visits to the school nurse"),
        "health.checkup_attended" => ui.T("健診の受診", "Health check-up attended"),
        "health.checkup" => ui.T("健診", "Health check-up"),
        "cw.consultation_type" => ui.T("相談の種別", "Consultation type"),
        "tax.hikazei" => ui.T("住民税非課税", "Resident-tax exempt"),
        "tax.income_band" => ui.T("所得区分", "Income band"),
        "welfare.seikatsu_hogo_since" => ui.T("生活保護 開始", "Public assistance since"),
        "allowance.jido_fuyo_since" => ui.T("児童扶養手当 開始", "Child-rearing allowance since"),
        "allowance.tokubetsu_jido_fuyo" => ui.T("特別児童扶養手当", "Special child-rearing allowance"),
        "subsidy.hitorioya_iryo_card" => ui.T("ひとり親家庭等医療証", "Single-parent medical card"),
        "subsidy.kodomo_iryo_card" => ui.T("子ども医療証", "Children's medical card"),
        "teate.role" => ui.T("児童手当", "Child allowance"),
        "childcare.certification" => ui.T("保育の認定区分", "Childcare certificate"),
        "childcare.fee_reduction" => ui.T("保育料の減免", "Childcare fee reduction"),
        "disability.kind" => ui.T("手帳・サービスの種別", "Certificate or service"),
        "disability.grade" => ui.T("等級", "Grade"),
        "cw.home_visit" => ui.T("養育支援訪問", "Home visits"),
        "maternal.epds_score" => ui.T("EPDS点数", "EPDS score"),
        "maternal.sango_care" => ui.T("産後ケア", "Postnatal care"),
        "education.shugaku_enjo" => ui.T("就学援助", "School expenses assistance"),
        "npo.visits" => ui.T("こども食堂 参加回数", "Community cafeteria visits"),
        "npo.study_support" => ui.T("学習支援", "Study support"),
        "npo.food_pantry" => ui.T("フードパントリー", "Food pantry"),
        _ => kind,
    };

    /// <summary>How a source record was linked to the person.</summary>
    public static string Method(Ui ui, string method, double weight) => method switch
    {
        "atena" => ui.T("宛名番号で一致", "Matched on 宛名番号"),
        "probabilistic" => ui.T($"氏名・生年月日等で照合（重み {weight:0.0}）", $"Matched on name, birth date etc. (weight {weight:0.0})"),
        "new" => ui.T("新規（他の記録と一致なし）", "New (no other record matched)"),
        Linkage.Clustering.ReturnedResidents.Method => ui.T($"転出後の再転入（前の宛名番号とつないだ・重み {weight:0.0}）", $"Moved out and came back (joined to the earlier 宛名番号, weight {weight:0.0})"),
        _ => method,
    };

    /// <summary>Sex code as recorded by the resident registry.</summary>
    public static string Sex(Ui ui, string? sex) => sex switch
    {
        "1" or "M" or "m" or "男" => ui.T("男", "Male"),
        "2" or "F" or "f" or "女" => ui.T("女", "Female"),
        null or "" => "—",
        _ => sex,
    };

    /// <summary>和暦 for Japanese (令和7年11月28日), ISO for English.</summary>
    public static string Date(Ui ui, DateOnly? date) =>
        date is not { } d ? "—" : ui.English ? d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : Wareki.Format(d);

    /// <summary>An age with its unit.</summary>
    public static string Age(Ui ui, int? age) => age is not { } a ? "—" : ui.T($"{a}歳", $"{a} y");
}
