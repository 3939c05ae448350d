using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using MelonChain.Messages;
using static MelonChain.Cooperative.Features.GrowerPage.ShowGrowerPage;

namespace MelonChain.Cooperative.Features.GrowerPage;

/// <summary>
/// The grower's page as HTML for a phone: Chinese, no script, one small style sheet inline (nothing else to fetch on a
/// village network). Every value from the database is HTML-encoded; Chinese stays readable in the source.
/// </summary>
public static class GrowerPageHtml
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private const string Style =
        "body{font-family:system-ui,'PingFang SC','Noto Sans CJK SC',sans-serif;margin:0;background:#f6f8f4;color:#1d2b1f;font-size:16px}" +
        "header{background:#2f6b3a;color:#fff;padding:14px 16px}header h1{margin:0;font-size:20px}header p{margin:4px 0 0}" +
        "main{padding:8px 12px;max-width:640px;margin:auto}section{background:#fff;border-radius:8px;padding:10px 12px;margin:10px 0}" +
        "h2{font-size:17px;margin:4px 0 8px}table{width:100%;border-collapse:collapse;font-size:14px}" +
        "td,th{text-align:left;padding:5px 4px;border-bottom:1px solid #e3e8e0}td.n,th.n{text-align:right}" +
        ".muted{color:#6b776d}.big{font-size:20px;font-weight:bold}";

    private static readonly Dictionary<string, string> EntryKinds = new()
    {
        ["settlement"] = "结算", ["deduction"] = "扣款", ["top_up"] = "保底补差", ["payment"] = "付款",
        ["advance"] = "预付款", ["surplus_return"] = "盈余返还", ["reversal"] = "结算冲销", ["adjustment"] = "理赔调整",
    };

    private static string E(string? text) => Encoder.Encode(text ?? "");
    private static string Kg(long grams) => (grams / 1000m).ToString("#,0.###", CultureInfo.InvariantCulture);
    private static string Kg(decimal kg) => kg.ToString("#,0.###", CultureInfo.InvariantCulture);
    private static string Yuan(long fen) => (fen / 100m).ToString("#,0.00", CultureInfo.InvariantCulture);
    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    private static string Time(DateTimeOffset at) => ChinaTime.ToChina(at).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public static IResult Render(View v)
    {
        var html = new StringBuilder();
        var m = v.Member;
        Head(html, $"{v.Cooperative} · {m.Name}");
        html.Append($"<header><h1>{E(v.Cooperative)}</h1>")
            .Append($"<p>{E(m.Name)} · 社员号 <span id=\"member-no\">{E(m.MemberNo)}</span> · {E(m.Village)}</p></header><main>");

        var balance = v.Account.Sum(a => a.AmountFen);
        html.Append($"<section id=\"balance\"><h2>账户余额</h2><p class=\"big\">¥{Yuan(balance)}</p>")
            .Append($"<p class=\"muted\">{(balance >= 0 ? "合作社应付给您的金额" : "您欠合作社的金额（下次结算时扣回）")}</p></section>");

        html.Append("<section id=\"deliveries\"><h2>交售记录</h2>");
        if (v.Deliveries.Count == 0) html.Append("<p class=\"muted\">还没有交售记录。</p>");
        var grades = v.Grades.ToLookup(g => g.ReceiptId);
        foreach (var d in v.Deliveries)
        {
            html.Append($"<table class=\"receipt\"><tr><th colspan=\"2\">小票 {E(d.ReceiptNo)}</th></tr>")
                .Append($"<tr><td>收货时间</td><td class=\"n\">{Time(d.ReceivedAt)}</td></tr>")
                .Append($"<tr><td>采收日期</td><td class=\"n\">{Day(d.HarvestedOn)}</td></tr>")
                .Append($"<tr><td>毛重</td><td class=\"n\">{Kg(d.GrossGrams)} 公斤 · {d.Crates} 筐</td></tr>");
            if (d.GradedGrams is { } graded)
            {
                foreach (var g in grades[d.Id].OrderBy(g => Grades.All.ToList().IndexOf(g.Grade)))
                    html.Append($"<tr class=\"grade\"><td>{E(Grades.ChineseName(g.Grade))}</td><td class=\"n\">{Kg(g.Grams)} 公斤</td></tr>");
                html.Append($"<tr><td>损耗</td><td class=\"n\">{Kg(d.ShrinkGrams ?? 0)} 公斤</td></tr>");
            }
            else html.Append("<tr><td colspan=\"2\" class=\"muted\">尚未挑选分级</td></tr>");
            html.Append("</table>");
        }
        html.Append("</section>");

        html.Append("<section id=\"destinations\"><h2>您的瓜去了哪里</h2>");
        if (v.Destinations.Count == 0) html.Append("<p class=\"muted\">还没有装箱发出。</p>");
        else
        {
            html.Append("<table><tr><th>城市</th><th>日期</th><th>等级</th><th class=\"n\">公斤</th></tr>");
            foreach (var d in v.Destinations)
                html.Append($"<tr><td>{E(d.City)}</td><td>{Day(d.On)}{(d.Delivered ? " 送达" : " 发出")}</td>")
                    .Append($"<td>{E(Grades.ChineseName(d.Grade))}</td><td class=\"n\">{Kg(d.Grams)}</td></tr>");
            html.Append("</table>");
        }
        html.Append("</section>");

        html.Append("<section id=\"statements\"><h2>结算单</h2>");
        if (v.Statements.Count == 0) html.Append("<p class=\"muted\">还没有结算。</p>");
        foreach (var s in v.Statements)
        {
            html.Append($"<table class=\"statement\"><tr><th colspan=\"4\">{Day(s.From)} 至 {Day(s.To)}{(s.Reversal is null ? "" : "（已冲销）")}</th></tr>")
                .Append("<tr><th>等级</th><th class=\"n\">公斤</th><th class=\"n\">单价（元/公斤）</th><th class=\"n\">金额（元）</th></tr>");
            foreach (var l in s.Lines)
                html.Append($"<tr class=\"line\"><td>{E(Grades.ChineseName(l.Grade))}</td><td class=\"n\">{Kg(l.Kg)}</td>")
                    .Append($"<td class=\"n\">{Yuan(l.PoolPricePerKgFen)}</td><td class=\"n\">{Yuan(l.PayoutFen)}</td></tr>");
            foreach (var x in s.Deductions)
                html.Append($"<tr class=\"deduction\"><td colspan=\"3\">扣款：{E(x.Name)}（{E(x.Basis)}）</td><td class=\"n\">-{Yuan(x.AmountFen)}</td></tr>");
            if (s.TopUpFen != 0) html.Append($"<tr><td colspan=\"3\">保底补差</td><td class=\"n\">{Yuan(s.TopUpFen)}</td></tr>");
            if (s.AdvanceNettedFen != 0) html.Append($"<tr><td colspan=\"3\">扣回预付款</td><td class=\"n\">-{Yuan(s.AdvanceNettedFen)}</td></tr>");
            html.Append($"<tr class=\"to-pay\"><th colspan=\"3\">应付</th><th class=\"n\">{Yuan(s.ToPayFen)}</th></tr>");
            if (s.AdvanceCarriedFen > 0) html.Append($"<tr><td colspan=\"4\" class=\"muted\">仍欠预付款 {Yuan(s.AdvanceCarriedFen)} 元，下次结算扣回</td></tr>");
            html.Append("</table>");
        }
        html.Append("</section>");

        html.Append("<section id=\"account\"><h2>往来明细（预付款、付款、盈余返还）</h2>");
        if (v.Account.Count == 0) html.Append("<p class=\"muted\">还没有往来记录。</p>");
        else
        {
            html.Append("<table><tr><th>日期</th><th>项目</th><th class=\"n\">金额（元）</th></tr>");
            foreach (var a in v.Account)
                html.Append($"<tr class=\"entry {E(a.Kind)}\"><td>{Day(ChinaTime.DateOf(a.EnteredAt))}</td>")
                    .Append($"<td>{E(EntryKinds.GetValueOrDefault(a.Kind, a.Kind))}</td><td class=\"n\">{Yuan(a.AmountFen)}</td></tr>");
            html.Append("</table>");
        }
        html.Append("</section></main></body></html>");
        return Page(html, 200);
    }

    /// <summary>The same page for every token that opens nothing: it says neither whether the member exists nor why.</summary>
    public static IResult NotFound()
    {
        var html = new StringBuilder();
        Head(html, "链接无效");
        html.Append("<main><section><h2>链接无效</h2><p>这个链接打不开。请到合作社收货处索取新的小票。</p></section></main></body></html>");
        return Page(html, 404);
    }

    private static void Head(StringBuilder html, string title) => html
        .Append("<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">")
        .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"robots\" content=\"noindex\">")
        .Append($"<title>{E(title)}</title><style>{Style}</style></head><body>");

    private static IResult Page(StringBuilder html, int status) =>
        new PageResult(html.ToString(), status);

    /// <summary>HTML that no one caches or passes on: the link is the key, so the page is private to whoever holds it.</summary>
    private sealed class PageResult(string html, int status) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.StatusCode = status;
            http.Response.ContentType = "text/html; charset=utf-8";
            http.Response.Headers.CacheControl = "no-store";
            http.Response.Headers["Referrer-Policy"] = "no-referrer";
            http.Response.Headers["X-Robots-Tag"] = "noindex";
            http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";
            return http.Response.WriteAsync(html);
        }
    }
}
