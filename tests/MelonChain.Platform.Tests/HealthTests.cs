extern alias cooperative;
using System.Net;
using MelonChain.Testing;

namespace MelonChain.Platform.Tests;

/// <summary>Readiness follows the service's database and broker, down and back up.</summary>
public sealed class HealthTests : IAsyncLifetime
{
    private PrivatePostgres _postgres = null!;
    private PrivateRabbitMq _broker = null!;
    private ServiceHost<cooperative::Program> _service = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var servers = await Task.WhenAll(
            Task.Run(async () => (object)await PrivatePostgres.StartAsync()),
            Task.Run(async () => (object)await PrivateRabbitMq.StartNodeAsync()));
        _postgres = (PrivatePostgres)servers[0];
        _broker = (PrivateRabbitMq)servers[1];
        var db = TestDatabase.Create("health", _postgres.Server);
        _service = new ServiceHost<cooperative::Program>(db.ConnectionString, _broker.ConnectionString);
        _client = _service.CreateClient();
    }

    [Fact]
    public async Task Ready_turns_unhealthy_while_PostgreSQL_or_RabbitMQ_is_down_and_healthy_when_it_returns()
    {
        await ReadyBecomes(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/health/live")).StatusCode);

        await _postgres.StopServerAsync();
        await ReadyBecomes(HttpStatusCode.ServiceUnavailable);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/health/live")).StatusCode);
        await _postgres.StartServerAsync();
        await ReadyBecomes(HttpStatusCode.OK);

        await _broker.StopAsync();
        await ReadyBecomes(HttpStatusCode.ServiceUnavailable);
        await _broker.StartAsync();
        await ReadyBecomes(HttpStatusCode.OK);
    }

    private Task ReadyBecomes(HttpStatusCode status) => Eventually.Until(
        async () => (await _client.GetAsync("/health/ready")).StatusCode, s => s == status, TimeSpan.FromSeconds(30), $"/health/ready {status}");

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await _broker.DisposeAsync();
        await _postgres.DisposeAsync();
    }
}
