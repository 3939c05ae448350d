using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MelonChain.Workstation;
using MelonChain.Workstation.Api;
using Microsoft.Extensions.DependencyInjection;

namespace MelonChain.Workstation.Tests;

/// <summary>A request as the app sent it: what a server would have seen.</summary>
public sealed record SentRequest(HttpMethod Method, string PathAndQuery, string? Authorization, string? IdempotencyKey, string? Body)
{
    public JsonElement Json => JsonDocument.Parse(Body!).RootElement;
}

/// <summary>
/// The API as the screens meet it, answered by the test: every request the app sends passes through the app's own
/// HttpClient wiring (<see cref="WorkstationServices.AddWorkstation"/>, with its bearer handler) and is recorded here.
/// </summary>
public sealed class StubApi : HttpMessageHandler
{
    private readonly List<SentRequest> _sent = [];
    private readonly Queue<Func<SentRequest, HttpResponseMessage>> _receiptAnswers = new();

    public IReadOnlyList<SentRequest> Sent { get { lock (_sent) return _sent.ToList(); } }
    public IReadOnlyList<SentRequest> Receipts => Sent.Where(r => r.Method == HttpMethod.Post && r.PathAndQuery == "/api/v1/cooperative/receipts").ToList();
    public List<CooperativeApi.Grower> Growers { get; } = [];

    public static readonly CooperativeApi.Grower Member = new(Guid.Parse("0199a000-0000-7000-8000-000000000001"), "SX-001", "李秀英", "138****0001", "上乡村", "member", null);
    public static readonly Guid ContractId = Guid.Parse("0199a000-0000-7000-8000-0000000000c1");
    public static readonly CooperativeApi.Grower ContractGrower = new(Guid.Parse("0199a000-0000-7000-8000-000000000002"), "EP-017", "王建国", "139****0002", "恩平大田", "contract", ContractId);

    public StubApi() => Growers.AddRange([Member, ContractGrower]);

    private readonly List<(HttpMethod Method, string Path, Func<SentRequest, HttpResponseMessage> Answer, bool Once)> _routes = [];

    /// <summary>
    /// Requests of <paramref name="method"/> whose path and query start with <paramref name="path"/> get this answer
    /// (the first route that matches; a route added <paramref name="once"/> answers one request and is gone).
    /// </summary>
    public StubApi On(HttpMethod method, string path, Func<SentRequest, HttpResponseMessage> answer, bool once = false)
    {
        lock (_routes) _routes.Add((method, path, answer, once));
        return this;
    }

    public StubApi On(HttpMethod method, string path, object body, int status = 200) => On(method, path, _ => Json(body, status));

    public static HttpResponseMessage Json(object body, int status = 200) =>
        new((HttpStatusCode)status) { Content = JsonContent.Create(body, options: new JsonSerializerOptions(JsonSerializerDefaults.Web)) };

    public IReadOnlyList<SentRequest> To(HttpMethod method, string path) =>
        Sent.Where(r => r.Method == method && r.PathAndQuery.StartsWith(path, StringComparison.Ordinal)).ToList();

    private Func<SentRequest, HttpResponseMessage>? Route(SentRequest sent)
    {
        lock (_routes)
        {
            var i = _routes.FindIndex(r => r.Method == sent.Method && sent.PathAndQuery.StartsWith(r.Path, StringComparison.Ordinal));
            if (i < 0) return null;
            var route = _routes[i];
            if (route.Once) _routes.RemoveAt(i);
            return route.Answer;
        }
    }

    // ---- the receipt slip (SlipTests) ----
    /// <summary>Receipts the server holds, for GET /receipts/{id}.</summary>
    public Dictionary<Guid, object> StoredReceipts { get; } = [];

    /// <summary>What GET /growers/{id}/link answers for each member.</summary>
    public static string LinkOf(CooperativeApi.Grower grower) => $"http://127.0.0.1:8080/grower/link-of-{grower.MemberNo}";

    /// <summary>What the Gateway's GET /api/v1/workstation/sign-in answers: development (dev tokens) unless a test sets an authority.</summary>
    public object SignInOptions { get; set; } = new { devTokens = true, authority = (string?)null, clientId = (string?)null, scopes = new[] { "openid", "profile" } };

    /// <summary>True: every request fails as fetch does with no network (HttpRequestException), after being recorded.</summary>
    public bool Offline { get; set; }

    /// <summary>The next POST /receipts gets this answer (then the default: 201 with a receipt echoing the request).</summary>
    public StubApi ThenReceipt(Func<SentRequest, HttpResponseMessage> answer)
    {
        _receiptAnswers.Enqueue(answer);
        return this;
    }

    public static HttpResponseMessage Problem(int status, string code, string detail, object? errors = null) =>
        new((HttpStatusCode)status)
        {
            Content = new StringContent(JsonSerializer.Serialize(new
            {
                type = $"urn:melonchain:problem:{code}", title = "Rule violated", status, detail, errors,
            }), Encoding.UTF8, "application/problem+json"),
        };

    public static HttpResponseMessage Created(SentRequest request, string receiptNo)
    {
        var body = request.Json;
        return new HttpResponseMessage(HttpStatusCode.Created)
        {
            Content = JsonContent.Create(new
            {
                id = Guid.NewGuid(), receiptNo, growerId = body.GetProperty("growerId").GetGuid(), memberNo = "SX-001",
                contractId = (Guid?)null, harvestedOn = body.GetProperty("harvestedOn").GetString(),
                grossKg = body.GetProperty("grossKg").GetDecimal(), crates = body.GetProperty("crates").GetInt32(),
                receivedAt = DateTimeOffset.UtcNow,
            }),
        };
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var sent = new SentRequest(request.Method, request.RequestUri!.PathAndQuery, request.Headers.Authorization?.ToString(),
            request.Headers.TryGetValues(CooperativeApi.IdempotencyKeyHeader, out var keys) ? keys.Single() : null,
            request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken));
        lock (_sent) _sent.Add(sent);
        if (Offline) throw new HttpRequestException("TypeError: Failed to fetch");
        if (Route(sent) is { } answer) return answer(sent);
        if (sent.Method == HttpMethod.Get && sent.PathAndQuery == "/api/v1/workstation/sign-in")
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = JsonContent.Create(SignInOptions) };
        if (sent.Method == HttpMethod.Get && Growers.FirstOrDefault(g => sent.PathAndQuery == $"/api/v1/cooperative/growers/{g.Id}/link") is { } linked)
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = JsonContent.Create(new { url = LinkOf(linked) }) };
        if (sent.Method == HttpMethod.Get && Growers.FirstOrDefault(g => sent.PathAndQuery == $"/api/v1/cooperative/growers/{g.Id}") is { } one)
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = JsonContent.Create(one) };
        if (sent.Method == HttpMethod.Get && StoredReceipts.FirstOrDefault(r => sent.PathAndQuery == $"/api/v1/cooperative/receipts/{r.Key}") is { Value: { } stored })
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = JsonContent.Create(stored) };
        if (sent.Method == HttpMethod.Get && sent.PathAndQuery.StartsWith("/api/v1/cooperative/growers", StringComparison.Ordinal))
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = JsonContent.Create(new { items = Growers, next = (string?)null }) };
        if (sent.Method == HttpMethod.Post && sent.PathAndQuery == "/api/v1/cooperative/receipts")
            return _receiptAnswers.Count > 0 ? _receiptAnswers.Dequeue()(sent) : Created(sent, "SX-20260612-0001");
        return new HttpResponseMessage(HttpStatusCode.NotFound);
    }
}

public static class Tokens
{
    /// <summary>An unsigned JWT with the claims the app reads (the server, not the app, checks signatures).</summary>
    public static string For(string role, string subject = "clerk-1", string cooperative = "shangxiang", DateTimeOffset? expires = null)
    {
        static string Part(object value) => Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(value)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var exp = (expires ?? DateTimeOffset.UtcNow.AddHours(8)).ToUnixTimeSeconds();
        return $"{Part(new { alg = "HS256", typ = "JWT" })}.{Part(new { sub = subject, role, coop = cooperative, exp })}.c2ln";
    }
}

/// <summary>A bUnit context with the app's services, the stub API, and a token stored in the browser for the role.</summary>
public abstract class WorkstationContext : BunitContext
{
    protected StubApi Api { get; } = new();

    protected WorkstationContext()
    {
        Services.AddWorkstation(new Uri("http://127.0.0.1:8080/app/"), () => Api);
    }

    /// <summary>The tab's sessionStorage holds this token, as after signing in.</summary>
    protected void SignedInAs(string? role)
    {
        var module = TokenModule = JSInterop.SetupModule("./js/token.js");
        module.Setup<string?>("load").SetResult(role is null ? null : Tokens.For(role));
        module.SetupVoid("save", _ => true).SetVoidResult();
        module.SetupVoid("clear").SetVoidResult();
        SetUpSlipModule();
        SerialModule = JSInterop.SetupModule("./js/serial.js");
        SerialModule.Setup<bool>("supported").SetResult(WebSerial);
        SerialModule.Setup<bool>("connect", _ => true).SetResult(true);
        SerialModule.SetupVoid("disconnect").SetVoidResult();
    }

    /// <summary>The token's module (js/token.js): what the app kept in the tab's sessionStorage.</summary>
    protected BunitJSModuleInterop TokenModule { get; private set; } = default!;

    /// <summary>Whether the browser has Web Serial (js/serial.js supported); set before <see cref="SignedInAs"/>.</summary>
    protected bool WebSerial { get; set; }

    /// <summary>The scale's module (js/serial.js); a port picked by the clerk always opens.</summary>
    protected BunitJSModuleInterop SerialModule { get; private set; } = default!;

    /// <summary>The members' links kept on this device (js/slip.js loadLinks), as JSON; set before <see cref="SignedInAs"/>.</summary>
    protected string? KeptLinksJson { get; set; }

    /// <summary>The paper chosen on this device (js/slip.js paper); set before <see cref="SignedInAs"/>.</summary>
    protected string? KeptPaper { get; set; }

    /// <summary>The slip's module (js/slip.js): printing, the paper, and the members' links kept on the device.</summary>
    protected BunitJSModuleInterop SlipModule { get; private set; } = default!;

    private void SetUpSlipModule()
    {
        SlipModule = JSInterop.SetupModule("./js/slip.js");
        SlipModule.Setup<string?>("loadLinks", _ => true).SetResult(KeptLinksJson);
        SlipModule.Setup<string?>("paper").SetResult(KeptPaper);
        SlipModule.SetupVoid("saveLinks", _ => true).SetVoidResult();
        SlipModule.SetupVoid("setPaper", _ => true).SetVoidResult();
        SlipModule.SetupVoid("print").SetVoidResult();
    }
}
