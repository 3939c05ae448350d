using System.Text.Json;

namespace MelonChain.Chaos;

/// <summary>One invariant's result: what it checked, over how many, and what broke it.</summary>
public sealed record Check(string Invariant, long Over, IReadOnlyList<string> Broken)
{
    public bool Holds => Broken.Count == 0;
}

/// <summary>
/// What must hold at the end of the chaos season (R16), read from each service's database and API once everything has
/// drained: receipts once, stock, every settlement's pools to the fen, every ended order settled exactly once, every box
/// traceable, every box of a collected order with its outcome in Tracking, no event left behind.
/// </summary>
public sealed class Invariants(MelonSystem system, PrivateRabbitMq broker, IReadOnlyList<CooperativeSeason> seasons)
{
    private static readonly string[] Services = ["Cooperative", "ContractGrowing", "Dispatch", "Tracking"];

    public async Task<IReadOnlyList<Check>> CheckAsync() =>
    [
        await ReceiptsOnceAsync(),
        await StockAsync(),
        await PoolsToTheFenAsync(),
        await EveryEndedOrderSettledOnceAsync(),
        await EveryBoxTraceableAsync(),
        await EveryCollectedBoxEndedAsync(),
        await NothingLeftBehindAsync(),
    ];

    /// <summary>Every receipt the clerks were answered for is one row; each contract grower's receipt is one delivery in ContractGrowing.</summary>
    private async Task<Check> ReceiptsOnceAsync()
    {
        var broken = new List<string>();
        var answered = seasons.SelectMany(s => s.Receipts).Order().ToList();
        var recorded = await system.QueryAsync<Guid>("Cooperative", "select id from receipts order by id");
        if (!answered.SequenceEqual(recorded))
            broken.Add($"{answered.Count} receipts answered, {recorded.Count} recorded ({answered.Except(recorded).Count()} missing, {recorded.Except(answered).Count()} unanswered or doubled)");
        var contract = await system.QueryAsync<Guid>("Cooperative", "select id from receipts where contract_id is not null order by id");
        var deliveries = await system.QueryAsync<Guid>("ContractGrowing", "select receipt_id from deliveries order by receipt_id");
        if (!contract.SequenceEqual(deliveries))
            broken.Add($"{contract.Count} contract growers' receipts, {deliveries.Count} deliveries in ContractGrowing");
        return new("receipts recorded once, contract deliveries once in ContractGrowing", recorded.Count, broken);
    }

    /// <summary>
    /// Per cooperative and grade: graded (live gradings) = in stock (GET /stock) + packed into orders not cancelled −
    /// restocked returns; and per lot, allocated = what its boxes of orders not cancelled took − what came back restocked.
    /// </summary>
    private async Task<Check> StockAsync()
    {
        var broken = new List<string>();
        var lots = await system.QueryAsync<(Guid Id, long Allocated, long Boxed)>("Cooperative", """
            select l.id, l.allocated_grams,
                   coalesce((select sum(s.grams) from box_sources s join boxes b on b.trace_code = s.trace_code join orders o on o.id = b.order_id
                             where s.lot_id = l.id and o.cancelled_at is null
                               and not exists (select 1 from box_returns r where r.trace_code = b.trace_code and r.disposition = 'restock')), 0)::bigint
            from lots l
            """);
        broken.AddRange(lots.Where(l => l.Allocated != l.Boxed).Select(l => $"lot {l.Id}: allocated {l.Allocated} g, its boxes hold {l.Boxed} g"));
        foreach (var season in seasons)
        {
            using var clerk = await system.AsAsync("clerk", "chaos-check", season.Cooperative);
            var stock = (await Api.GetAsync(clerk, "/api/v1/cooperative/stock")).Json;
            var rows = await system.QueryAsync<(string Grade, long Graded, long Packed, long Restocked)>("Cooperative", """
                select l.grade, sum(l.grams)::bigint,
                       coalesce(sum((select sum(s.grams) from box_sources s join boxes b on b.trace_code = s.trace_code join orders o on o.id = b.order_id
                                      where s.lot_id = l.id and o.cancelled_at is null)), 0)::bigint,
                       coalesce(sum((select sum(s.grams) from box_sources s join box_returns r on r.trace_code = s.trace_code
                                      where s.lot_id = l.id and r.disposition = 'restock')), 0)::bigint
                from lots l where l.cooperative_id = @cooperative and l.withdrawn_at is null group by l.grade
                """, new { cooperative = season.Cooperative });
            foreach (var row in rows)
            {
                var inStock = stock.GetProperty("grades").EnumerateArray().Single(g => g.GetProperty("grade").GetString() == row.Grade).GetProperty("availableKg").GetDecimal();
                var grams = (long)(inStock * 1000);
                if (row.Graded != grams + row.Packed - row.Restocked)
                    broken.Add($"{season.Cooperative} {row.Grade}: graded {row.Graded} g ≠ in stock {grams} + packed {row.Packed} − restocked {row.Restocked}");
            }
        }
        return new("stock: graded = in stock + packed − restocked (per grade), allocated = boxed (per lot)", lots.Count, broken);
    }

    /// <summary>Every settlement, as the API returns it: Σ revenue − Σ credits + Σ compensation = Σ payouts + freight + packaging + commission + deductions, statements paying the payouts.</summary>
    private async Task<Check> PoolsToTheFenAsync()
    {
        var broken = new List<string>();
        var settlements = await system.QueryAsync<(Guid Id, string Cooperative)>("Cooperative", "select id, cooperative_id from settlements");
        foreach (var (id, cooperative) in settlements)
        {
            using var clerk = await system.AsAsync("clerk", "chaos-check", cooperative);
            var s = (await Api.GetAsync(clerk, $"/api/v1/cooperative/settlements/{id}")).Json;
            var t = s.GetProperty("totals");
            long T(string name) => t.TryGetProperty(name, out var v) ? v.GetInt64() : 0;
            var left = T("revenueFen") - T("creditsFen") + T("compensationFen");
            var right = T("payoutFen") + T("freightFen") + T("packagingFen") + T("commissionFen") + T("deductionsFen");
            if (left != right) broken.Add($"settlement {id}: revenue − credits + compensation {left} ≠ payouts + freight + packaging + commission + deductions {right}");
            var statements = s.GetProperty("statements").EnumerateArray().Sum(x => x.GetProperty("payoutFen").GetInt64());
            if (statements != T("payoutFen")) broken.Add($"settlement {id}: statements pay {statements}, payouts {T("payoutFen")}");
            var pools = s.GetProperty("pools").EnumerateArray().ToList();
            foreach (var total in new[] { "revenueFen", "freightFen", "packagingFen", "commissionFen" })
                if (pools.Sum(p => p.GetProperty(total).GetInt64()) != T(total))
                    broken.Add($"settlement {id}: pools' {total} {pools.Sum(p => p.GetProperty(total).GetInt64())} ≠ total {T(total)}");
        }
        return new("every settlement's pools to the fen", settlements.Count, broken);
    }

    /// <summary>Every order whose boxes all ended (and not cancelled) is in exactly one settlement; no settlement counts an order twice.</summary>
    private async Task<Check> EveryEndedOrderSettledOnceAsync()
    {
        var broken = new List<string>();
        var unsettled = await system.QueryAsync<Guid>("Cooperative",
            "select id from orders where ended_at is not null and cancelled_at is null and settlement_id is null");
        broken.AddRange(unsettled.Select(o => $"order {o} ended and never settled"));
        var ended = await system.ScalarAsync<long>("Cooperative", "select count(*) from orders where ended_at is not null and cancelled_at is null");
        var settled = await system.ScalarAsync<long>("Cooperative", "select count(*) from orders where settlement_id is not null");
        var counted = await system.ScalarAsync<long>("Cooperative", "select coalesce(sum(orders), 0)::bigint from settlements where reversed_at is null");
        if (counted != settled) broken.Add($"settlements count {counted} orders, {settled} orders name a settlement");
        var notEnded = await system.ScalarAsync<long>("Cooperative", "select count(*) from orders where settlement_id is not null and ended_at is null");
        if (notEnded > 0) broken.Add($"{notEnded} orders settled before they ended");
        var delivered = await system.QueryAsync<Guid>("Dispatch", "select order_id from shipments where delivered_at is not null order by order_id");
        var whole = await system.QueryAsync<Guid>("Cooperative", "select id from orders where delivered_at is not null order by id");
        if (!delivered.SequenceEqual(whole)) broken.Add($"Dispatch delivered {delivered.Count} shipments, the Cooperative {whole.Count} orders");
        return new("every ended order settled exactly once", ended, broken);
    }

    /// <summary>Every box is in Tracking with the growers of its lots, and its public trace page answers with them.</summary>
    private async Task<Check> EveryBoxTraceableAsync()
    {
        var broken = new List<string>();
        var growers = (await system.QueryAsync<(string TraceCode, Guid GrowerId)>("Cooperative",
                "select s.trace_code, l.grower_id from box_sources s join lots l on l.id = s.lot_id"))
            .GroupBy(r => r.TraceCode).ToDictionary(g => g.Key, g => g.Select(r => r.GrowerId).Distinct().Order().ToList());
        var tracked = (await system.QueryAsync<(string TraceCode, string Sources)>("Tracking", "select trace_code, sources::text from boxes"))
            .ToDictionary(b => b.TraceCode, b => JsonDocument.Parse(b.Sources).RootElement.EnumerateArray()
                .Select(s => s.TryGetProperty("memberId", out var m) ? m.GetGuid() : Guid.Empty).Distinct().Order().ToList());
        foreach (var (code, expected) in growers)
        {
            if (!tracked.TryGetValue(code, out var found)) broken.Add($"box {code} unknown to Tracking");
            else if (!found.SequenceEqual(expected)) broken.Add($"box {code}: Tracking names growers {string.Join(",", found)}, the Cooperative {string.Join(",", expected)}");
        }
        // A sample of boxes through the public page (rate-limited: a few), each naming its growers' member numbers.
        using var anyone = new HttpClient { BaseAddress = system.Gateway };
        foreach (var code in growers.Keys.Order().Where((_, i) => i % Math.Max(1, growers.Count / 8) == 0).Take(8))
        {
            var page = await Api.GetAsync(anyone, $"/api/v1/tracking/public/trace/{code}");
            var memberNos = await system.QueryAsync<string>("Cooperative",
                "select distinct g.member_no from box_sources s join lots l on l.id = s.lot_id join growers g on g.id = l.grower_id where s.trace_code = @code", new { code });
            if (!page.Ok) broken.Add($"trace page of {code}: {page}");
            else if (memberNos.Any(m => !page.Body.Contains(m))) broken.Add($"trace page of {code} does not name {string.Join(",", memberNos)}");
        }
        return new("every box traceable to its growers in Tracking", growers.Count, broken);
    }

    /// <summary>Every box of a collected order has an outcome, the same in the Cooperative and in Tracking; one waybill per box.</summary>
    private async Task<Check> EveryCollectedBoxEndedAsync()
    {
        var broken = new List<string>();
        var boxes = await system.QueryAsync<(string TraceCode, string? Outcome)>("Cooperative", """
            select b.trace_code, b.outcome from boxes b join orders o on o.id = b.order_id where o.collected_at is not null order by b.trace_code
            """);
        broken.AddRange(boxes.Where(b => b.Outcome is null).Select(b => $"box {b.TraceCode} collected and never ended"));
        var tracking = (await system.QueryAsync<(string TraceCode, string Outcome)>("Tracking", "select trace_code, outcome from box_outcomes"))
            .ToDictionary(b => b.TraceCode, b => b.Outcome);
        broken.AddRange(boxes.Where(b => b.Outcome is not null && tracking.GetValueOrDefault(b.TraceCode) != b.Outcome)
            .Select(b => $"box {b.TraceCode}: {b.Outcome} in the Cooperative, {tracking.GetValueOrDefault(b.TraceCode) ?? "nothing"} in Tracking"));
        var waybills = await system.QueryAsync<string>("Dispatch", "select trace_code from waybills order by trace_code");
        if (!waybills.SequenceEqual(boxes.Select(b => b.TraceCode)))
            broken.Add($"{boxes.Count} boxes collected, {waybills.Count} waybills in Dispatch");
        return new("every collected box ended, the same in Tracking; one waybill each", boxes.Count, broken);
    }

    /// <summary>No event left in an outbox, none dead-lettered, nothing published twice by the relays.</summary>
    private async Task<Check> NothingLeftBehindAsync()
    {
        var broken = new List<string>();
        long published = 0;
        foreach (var service in Services)
        {
            if (await system.ScalarAsync<long>(service, "select count(*) from outbox") is var left and > 0) broken.Add($"{service}: {left} events never left the outbox");
            var rows = await system.QueryAsync<(Guid MessageId, string MessageType)>(service, "select message_id, message_type from outbox_published");
            published += rows.Count;
            broken.AddRange(rows.GroupBy(r => r.MessageId).Where(g => g.Count() > 1).Select(g => $"{service}: {g.First().MessageType} {g.Key} published {g.Count()} times"));
        }
        broken.AddRange((await broker.QueuesAsync()).Where(q => q.Key.EndsWith("_error") && q.Value > 0).Select(q => $"dead-lettered: {q.Key} {q.Value}"));
        return new("no event left in an outbox or dead-lettered, none published twice", published, broken);
    }
}
