extern alias dispatch;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using PersonalDataRetention = dispatch::MelonChain.Dispatch.Features.PersonalData.PersonalDataRetention;

namespace MelonChain.Dispatch.Tests;

/// <summary>
/// PIPL: a pickup's consignee and the signer named in the carrier's remarks are kept only for
/// Dispatch:Retention:PersonalDataDays (90) after the shipment ended or the pickup was cancelled.
/// </summary>
public class PersonalDataRetentionTests(DispatchFixture f) : IClassFixture<DispatchFixture>
{
    private const string Name = "王经理";
    private const string Phone = "13911112222";
    private const string Street = "朝阳区建国路88号";

    /// <summary>A pickup (and, unless cancelled, its shipment with one carrier order and a signed-for scan), as rows.</summary>
    private async Task<Guid> InsertAsync(DateTimeOffset at, string how)
    {
        var pickupId = Guid.NewGuid();
        var shipmentId = Guid.NewGuid();
        var waybill = "SF" + Random.Shared.NextInt64(1_000_000_000_000, 9_999_999_999_999);
        await using var connection = f.Database.Open();
        await connection.ExecuteAsync(
            """
            insert into pickups (id, cooperative_id, order_id, shipment_id, buyer_id, product, destination_city, address, contact_name, phone,
                                 status, window_start, window_end, box_count, opened_at, updated_at, carrier)
            values (@PickupId, 'shangxiang', gen_random_uuid(), @ShipmentId, gen_random_uuid(), 'express', '北京', @Street, @Name, @Phone,
                    case when @How = 'cancelled' then 'cancelled' else 'collected' end, @At - interval '3 days', @At - interval '2 days', 1,
                    @At - interval '4 days', @At, 'sf');
            insert into shipments (id, cooperative_id, pickup_id, order_id, buyer_id, carrier, carrier_order_id, product, destination_city,
                                   master_waybill_no, chargeable_grams, list_fen, negotiated_fen, collected_at, promised_by, status, status_at,
                                   delivered_at, on_time, last_route_at, courier_id)
            select @ShipmentId, 'shangxiang', @PickupId, p.order_id, p.buyer_id, 'sf', 'MC' || @ShipmentId, 'express', '北京', @Waybill,
                   5000, 7000, 5250, @At - interval '2 days', @At, case when @How = 'delivered' then 'delivered' else 'return_to_sender' end,
                   @At, case when @How = 'delivered' then @At end, true, @At, 'courier-1'
            from pickups p where p.id = @PickupId and @How <> 'cancelled';
            insert into carrier_orders (carrier_order_id, shipment_id, part, master_waybill_no, parcels, outcome, ended_at)
            select 'MC' || @ShipmentId, @ShipmentId, 1, @Waybill, 1, case when @How = 'delivered' then 'delivered' else 'returned' end, @At
            where @How <> 'cancelled';
            insert into route_records (shipment_id, waybill_no, op_code, status, accept_time, accept_address, remark, raw, received_at)
            select @ShipmentId, @Waybill, '80', 'delivered', @At, '北京朝阳', '快件已签收 签收人: ' || @Name,
                   jsonb_build_object('mailNo', @Waybill, 'opCode', '80', 'acceptAddress', '北京朝阳', 'remark', '快件已签收 签收人: ' || @Name), @At
            where @How <> 'cancelled';
            """, new { PickupId = pickupId, ShipmentId = shipmentId, Waybill = waybill, At = at, How = how, Name, Phone, Street });
        return pickupId;
    }

    private async Task<string> RowsAsync(Guid pickupId)
    {
        await using var connection = f.Database.Open();
        return await connection.ExecuteScalarAsync<string>(
            """
            select (select row_to_json(p)::text from pickups p where p.id = @Id)
                || coalesce((select string_agg(row_to_json(r)::text, '|') from route_records r join shipments s on s.id = r.shipment_id where s.pickup_id = @Id), '')
                || coalesce((select row_to_json(s)::text from shipments s where s.pickup_id = @Id), '')
            """, new { Id = pickupId }) ?? "";
    }

    [Fact]
    public async Task A_pickups_consignee_and_the_signers_name_are_dropped_once_past_the_period_and_a_second_pass_changes_nothing()
    {
        var now = DateTimeOffset.UtcNow;
        var delivered = await InsertAsync(now.AddDays(-100), "delivered");
        var returned = await InsertAsync(now.AddDays(-91), "returned");
        var cancelled = await InsertAsync(now.AddDays(-100), "cancelled");
        var recent = await InsertAsync(now.AddDays(-10), "delivered");
        var recentBefore = await RowsAsync(recent);
        var job = f.Dispatch.Services.GetRequiredService<PersonalDataRetention>();

        Assert.True(await job.MaskAsync(CancellationToken.None) >= 3);

        foreach (var pickup in new[] { delivered, returned, cancelled })
        {
            var rows = await RowsAsync(pickup);
            Assert.DoesNotContain(Name, rows);
            Assert.DoesNotContain(Phone, rows);
            Assert.DoesNotContain(Street, rows);
            Assert.Contains("北京", rows); // the city: freight and where the melons went
        }
        Assert.Contains("\"negotiated_fen\":5250", await RowsAsync(delivered)); // the books keep their amounts
        Assert.Contains("北京朝阳", await RowsAsync(delivered)); // and the scan's place
        Assert.Equal(recentBefore, await RowsAsync(recent));

        var before = string.Join("\n", await Task.WhenAll(new[] { delivered, returned, cancelled, recent }.Select(RowsAsync)));
        Assert.Equal(0, await job.MaskAsync(CancellationToken.None));
        Assert.Equal(before, string.Join("\n", await Task.WhenAll(new[] { delivered, returned, cancelled, recent }.Select(RowsAsync))));
    }
}
