using Microsoft.AspNetCore.Http;
using Mimamori.Privacy.Access;
using Mimamori.Web.Security;

namespace Mimamori.Web.Rendering;

/// <summary>
/// The per-request rendering context: language (Japanese unless <c>?lang=en</c> or the language cookie says English)
/// and the signed-in user, if any.
/// </summary>
public sealed class Ui
{
    /// <summary>The language cookie; carries only "ja" or "en".</summary>
    public const string LanguageCookie = "mimamori.lang";

    private Ui(HttpContext http, bool english, User? user)
    {
        Http = http;
        English = english;
        User = user;
    }

    /// <summary>The request.</summary>
    public HttpContext Http { get; }

    /// <summary>True for English, false for Japanese.</summary>
    public bool English { get; }

    /// <summary>The signed-in user, or null on the login page.</summary>
    public User? User { get; }

    /// <summary>The language code for the html element.</summary>
    public string Lang => English ? "en" : "ja";

    /// <summary>Reads the language from the query (and remembers it in a cookie) or the cookie.</summary>
    public static Ui For(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var english = false;
        var asked = http.Request.Query["lang"].ToString();
        if (asked is "en" or "ja")
        {
            english = asked == "en";
            http.Response.Cookies.Append(LanguageCookie, asked, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, IsEssential = true, MaxAge = TimeSpan.FromDays(365) });
        }
        else if (http.Request.Cookies.TryGetValue(LanguageCookie, out var cookie))
        {
            english = cookie == "en";
        }

        return new Ui(http, english, SignedInUser.Find(http.User));
    }

    /// <summary>Picks the text for the current language.</summary>
    public string T(string ja, string en) => English ? en : ja;

    /// <summary>The current path and query with the language set to <paramref name="lang"/>.</summary>
    public string WithLanguage(string lang)
    {
        var query = Http.Request.Query.Where(q => q.Key != "lang").SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v))).ToList();
        query.Add(new KeyValuePair<string, string?>("lang", lang));
        return Http.Request.Path + QueryString.Create(query).ToString();
    }
}
