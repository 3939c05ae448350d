extern alias dispatch;
using System.Net;
using MelonChain.ServiceDefaults.Data;
using MelonChain.Testing;
using Microsoft.Extensions.DependencyInjection;
using RouteIngest = dispatch::MelonChain.Dispatch.Features.Routes.RouteIngest;

namespace MelonChain.Dispatch.Tests;

/// <summary>S10 and retention: what pushes and requests leave behind does not grow without bound.</summary>
public class PushStorageTests(DispatchFixture f) : IClassFixture<DispatchFixture>
{
    [Fact]
    public async Task A_genuine_push_signed_too_long_ago_or_ahead_is_refused_and_stores_nothing()
    {
        var (shipmentId, master, collectedAt) = await f.BookAsync(1);
        var at = DateTimeOffset.FromUnixTimeSeconds(collectedAt.ToUnixTimeSeconds()); // the carrier's times are to the second
        var (stale, ahead, fresh) = (at.AddHours(3), at.AddHours(4), at.AddHours(5));

        var signedBefore = await f.PushAsync(master, [("31", stale)], signedAt: DateTimeOffset.UtcNow.AddMinutes(-10));
        var signedAhead = await f.PushAsync(master, [("31", ahead)], signedAt: DateTimeOffset.UtcNow.AddMinutes(10));
        var signedNow = await f.PushAsync(master, [("31", fresh)]);

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.OK),
            (signedBefore.StatusCode, signedAhead.StatusCode, signedNow.StatusCode));
        Assert.Contains("stale-carrier-push", await signedBefore.Content.ReadAsStringAsync());
        // Only this test's pushes (remark "test"): the simulator plays the same shipment's own route meanwhile, and its
        // record 4 hours after pickup falls on `ahead` to the second.
        Assert.Equal([fresh], await f.QueryAsync<DateTimeOffset>(
            "select accept_time from route_records where shipment_id = @shipmentId and remark = 'test' and accept_time = any(@times)",
            new { shipmentId, times = new[] { stale, ahead, fresh } }));
    }

    [Fact]
    public async Task Records_of_waybills_that_are_not_ours_are_kept_up_to_a_bound_and_age_out()
    {
        await using (var connection = f.Database.Open())
            await Dapper.SqlMapper.ExecuteAsync(connection,
                """
                delete from unmatched_route_records;
                insert into unmatched_route_records (carrier, waybill_no, op_code, accept_time, accept_address, remark, raw, received_at)
                select 'sf', 'SF9' || lpad(i::text, 12, '0'), '50', now(), '', '', '{}', now() - interval '3 days' from generate_series(1, 100) i;
                insert into unmatched_route_records (carrier, waybill_no, op_code, accept_time, accept_address, remark, raw, received_at)
                select 'sf', 'SF8' || lpad(i::text, 12, '0'), '50', now(), '', '', '{}', now() from generate_series(1, @Fill) i;
                """, new { Fill = RouteIngest.UnmatchedLimit - 100 - 2 });

        var pushes = await Task.WhenAll(Enumerable.Range(1, 5).Select(i =>
            f.PushAsync($"SF7{i:D12}", [("50", DateTimeOffset.UtcNow.AddMinutes(-i))])));

        Assert.All(pushes, p => Assert.Equal(HttpStatusCode.OK, p.StatusCode)); // acknowledged, so the carrier stops pushing
        Assert.Equal(RouteIngest.UnmatchedLimit, await f.ScalarAsync<long>("select count(*) from unmatched_route_records"));
        Assert.Equal(2, await f.ScalarAsync<long>("select count(*) from unmatched_route_records where waybill_no like 'SF7%'"));

        await f.Dispatch.Services.GetRequiredService<Retention>().PruneAsync(CancellationToken.None);

        Assert.Equal(0, await f.ScalarAsync<long>("select count(*) from unmatched_route_records where waybill_no like 'SF9%'"));
        Assert.Equal(RouteIngest.UnmatchedLimit - 100, await f.ScalarAsync<long>("select count(*) from unmatched_route_records"));
    }

    [Fact]
    public async Task Idempotency_keys_expire_after_eight_days_longer_than_an_offline_capture_is_accepted_and_inbox_rows_after_a_week()
    {
        await using (var connection = f.Database.Open())
            await Dapper.SqlMapper.ExecuteAsync(connection,
                """
                insert into idempotency_keys (scope, key, request_hash, status_code, created_at) values
                    ('test', 'old', '\x00', 200, now() - interval '8 days 1 hour'), ('test', 'fresh', '\x00', 200, now() - interval '7 days 23 hours');
                insert into inbox (message_id, consumer, received_at) values
                    (gen_random_uuid(), 'test-old', now() - interval '8 days'), (gen_random_uuid(), 'test-fresh', now() - interval '6 days');
                """);

        await f.Dispatch.Services.GetRequiredService<Retention>().PruneAsync(CancellationToken.None);

        Assert.Equal(["fresh"], await f.QueryAsync<string>("select key from idempotency_keys where scope = 'test'"));
        Assert.Equal(["test-fresh"], await f.QueryAsync<string>("select consumer from inbox where consumer like 'test-%'"));
    }
}
