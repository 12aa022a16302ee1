namespace Mimamori.Synthetic;

/// <summary>
/// Names of foreign residents by group. Chinese and Korean residents are registered with kanji names and a kana
/// reading; the others with romaji names (family name first, as the registry records them) and a katakana reading.
/// </summary>
internal static class ForeignNames
{
    internal sealed record Group(string Name, double Weight, bool Kanji, bool SeparateSurnames, NameEntry[] Family, NameEntry[] Male, NameEntry[] Female);

    public static IReadOnlyList<Group> Groups { get; } =
    [
        new("中国", 0.30, true, true,
            [new("王", "ワン"), new("李", "リ"), new("張", "チョウ"), new("陳", "チン"), new("劉", "リュウ"), new("楊", "ヨウ"), new("趙", "チョウ")],
            [new("偉", "ウェイ"), new("浩", "ハオ"), new("明", "ミン"), new("軍", "ジュン"), new("強", "チャン")],
            [new("静", "ジン"), new("麗", "リー"), new("芳", "ファン"), new("敏", "ミン"), new("娜", "ナー")]),
        new("ベトナム", 0.22, false, false,
            [new("NGUYEN", "グエン"), new("TRAN", "チャン"), new("LE", "レ"), new("PHAM", "ファム"), new("HOANG", "ホアン"), new("VU", "ヴー")],
            [new("MINH", "ミン"), new("DUC", "ドゥック"), new("HUNG", "フン"), new("NAM", "ナム"), new("TUAN", "トゥアン")],
            [new("LAN", "ラン"), new("HOA", "ホア"), new("LINH", "リン"), new("MAI", "マイ"), new("THAO", "タオ")]),
        new("韓国", 0.15, true, true,
            [new("金", "キム"), new("朴", "パク"), new("李", "イ"), new("崔", "チェ"), new("鄭", "チョン")],
            [new("民俊", "ミンジュン"), new("志勲", "ジフン"), new("賢宇", "ヒョヌ"), new("成民", "ソンミン")],
            [new("瑞妍", "ソヨン"), new("智恩", "ジウン"), new("秀彬", "スビン"), new("恩惠", "ウネ")]),
        new("フィリピン", 0.12, false, false,
            [new("SANTOS", "サントス"), new("REYES", "レイエス"), new("CRUZ", "クルス"), new("GARCIA", "ガルシア"), new("BAUTISTA", "バウティスタ")],
            [new("JOSE", "ホセ"), new("MARK", "マーク"), new("JOHN", "ジョン"), new("PAOLO", "パオロ")],
            [new("MARIA", "マリア"), new("ANNA", "アンナ"), new("GRACE", "グレース"), new("JOY", "ジョイ")]),
        new("ブラジル", 0.09, false, false,
            [new("SILVA", "シルバ"), new("OLIVEIRA", "オリベイラ"), new("SOUZA", "ソウザ"), new("SANTOS", "サントス"), new("PEREIRA", "ペレイラ")],
            [new("LUCAS", "ルーカス"), new("PEDRO", "ペドロ"), new("GABRIEL", "ガブリエル"), new("MATEUS", "マテウス")],
            [new("ANA", "アナ"), new("JULIA", "ジュリア"), new("BEATRIZ", "ベアトリス"), new("LARISSA", "ラリッサ")]),
        new("ネパール", 0.12, false, false,
            [new("GURUNG", "グルン"), new("TAMANG", "タマン"), new("SHRESTHA", "シュレスタ"), new("RAI", "ライ"), new("THAPA", "タパ")],
            [new("RAM", "ラム"), new("BIKASH", "ビカシュ"), new("SURAJ", "スラジ"), new("ROSHAN", "ロシャン")],
            [new("SITA", "シタ"), new("ANJALI", "アンジャリ"), new("PUJA", "プジャ"), new("SABINA", "サビナ")]),
    ];

    public static double[] Cumulative { get; } = Rand.Cumulative([.. Groups.Select(g => g.Weight)]);
}
