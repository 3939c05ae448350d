using Dapper;
using MelonChain.Cooperative.Features.PersonalData;
using Microsoft.Extensions.DependencyInjection;

namespace MelonChain.Cooperative.Tests;

/// <summary>
/// PIPL: an order's consignee (address, contact, phone) is kept only for Cooperative:Retention:PersonalDataDays (90)
/// after the order was settled and its claims closed, or after it was cancelled.
/// </summary>
public class PersonalDataRetentionTests(CooperativeFixture f) : IClassFixture<CooperativeFixture>
{
    private const string Name = "王经理";
    private const string Phone = "13911112222";
    private const string Street = "朝阳区建国路88号";

    /// <summary>An order as rows: settled (or cancelled, or neither) at <paramref name="at"/>, with a claim if asked.</summary>
    private async Task<Guid> InsertAsync(DateTimeOffset at, bool settled, bool cancelled = false, string? claim = null, DateTimeOffset? decidedAt = null)
    {
        var orderId = Guid.NewGuid();
        await using var connection = f.Db.Open();
        await connection.ExecuteAsync(
            """
            insert into buyers (id, cooperative_id, name, city, address, contact_name, phone, created_at)
            values (@BuyerId, 'shangxiang', '新发地餐厅', '北京', @Street, @Name, @Phone, @At - interval '30 days');
            insert into settlements (id, cooperative_id, period_from, period_to, revenue_fen, freight_fen, packaging_fen, commission_fen,
                                     payout_fen, top_up_fen, orders, settled_at, settled_by)
            select @SettlementId, 'shangxiang', (@At - interval '7 days')::date, @At::date, 100000, 30000, 2000, 5000, 63000, 0, 1, @At, 'clerk-1'
            where @Settled;
            insert into orders (id, cooperative_id, buyer_id, dest_city, dest_address, dest_contact, dest_phone, box_net_grams, box_length_cm,
                                box_width_cm, box_height_cm, product, placed_at, packed_at, cancelled_at, freight_fen, delivered_at, settlement_id)
            values (@OrderId, 'shangxiang', @BuyerId, '北京', @Street, @Name, @Phone, 5000, 40, 30, 25, 'express', @At - interval '10 days',
                    @At - interval '9 days', case when @Cancelled then @At end, 30000, case when not @Cancelled then @At - interval '2 days' end,
                    case when @Settled then @SettlementId end);
            insert into claims (id, cooperative_id, order_id, kind, trace_codes, grams, credit_asked_fen, filed_at, filed_by, status,
                                credit_fen, reason, decided_at, decided_by)
            select gen_random_uuid(), 'shangxiang', @OrderId, 'spoiled', array['X1'], 5000, 1700, @At, 'buyer-1', @Claim,
                   case when @Claim = 'accepted' then 1500 end, case when @Claim = 'rejected' then 'not spoiled' end,
                   case when @Claim <> 'open' then @DecidedAt end, case when @Claim <> 'open' then 'clerk-1' end
            where @Claim is not null;
            """, new { OrderId = orderId, BuyerId = Guid.NewGuid(), SettlementId = Guid.NewGuid(), At = at, Settled = settled,
                       Cancelled = cancelled, Claim = claim, DecidedAt = decidedAt, Name, Phone, Street });
        return orderId;
    }

    private async Task<string> OrderAsync(Guid orderId)
    {
        await using var connection = f.Db.Open();
        return await connection.ExecuteScalarAsync<string>("select row_to_json(o)::text from orders o where id = @Id", new { Id = orderId }) ?? "";
    }

    [Fact]
    public async Task An_orders_consignee_is_dropped_once_past_the_period_after_settlement_and_closed_claims_and_a_second_pass_changes_nothing()
    {
        var now = DateTimeOffset.UtcNow;
        var settledLongAgo = await InsertAsync(now.AddDays(-100), settled: true);
        var cancelledLongAgo = await InsertAsync(now.AddDays(-100), settled: false, cancelled: true);
        var claimRejectedLongAgo = await InsertAsync(now.AddDays(-120), settled: true, claim: "rejected", decidedAt: now.AddDays(-95));
        var claimStillOpen = await InsertAsync(now.AddDays(-100), settled: true, claim: "open");
        var claimDecidedLately = await InsertAsync(now.AddDays(-100), settled: true, claim: "rejected", decidedAt: now.AddDays(-20));
        var creditNotYetSettled = await InsertAsync(now.AddDays(-100), settled: true, claim: "accepted", decidedAt: now.AddDays(-95));
        var neverSettled = await InsertAsync(now.AddDays(-100), settled: false, claim: "rejected", decidedAt: now.AddDays(-100));
        var settledLately = await InsertAsync(now.AddDays(-10), settled: true);
        var kept = new[] { claimStillOpen, claimDecidedLately, creditNotYetSettled, neverSettled, settledLately };
        var keptBefore = await Task.WhenAll(kept.Select(OrderAsync));
        var job = f.Cooperative.Services.GetRequiredService<PersonalDataRetention>();

        Assert.True(await job.MaskAsync(CancellationToken.None) >= 3);

        foreach (var order in new[] { settledLongAgo, cancelledLongAgo, claimRejectedLongAgo })
        {
            var row = await OrderAsync(order);
            Assert.DoesNotContain(Name, row);
            Assert.DoesNotContain(Phone, row);
            Assert.DoesNotContain(Street, row);
            Assert.Contains("\"dest_city\":\"北京\"", row); // the city: freight and where the melons went
            Assert.Contains("\"freight_fen\":30000", row); // the books keep their amounts
        }
        Assert.Equal(keptBefore, await Task.WhenAll(kept.Select(OrderAsync)));

        var all = new[] { settledLongAgo, cancelledLongAgo, claimRejectedLongAgo }.Concat(kept).ToArray();
        var before = await Task.WhenAll(all.Select(OrderAsync));
        Assert.Equal(0, await job.MaskAsync(CancellationToken.None));
        Assert.Equal(before, await Task.WhenAll(all.Select(OrderAsync)));
    }
}
