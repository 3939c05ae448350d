using MelonChain.Messages;
using MelonChain.Messages.Cooperative;
using MelonChain.ServiceDefaults;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Http;
using MelonChain.ServiceDefaults.Security;
using MelonChain.Cooperative.Features.Compliance;
using static MelonChain.Cooperative.Features.Sales.Orders;

namespace MelonChain.Cooperative.Features.Sales;

/// <summary>
/// Packing allocates lots oldest harvest first, fills one-grade boxes with a trace code each (一箱一码) and records
/// which lots — so which growers — make up every box. Not enough stock: 409 naming what is short, nothing
/// allocated. The order row is locked first, so packing and cancelling one order end in exactly one outcome;
/// packing of one cooperative is serialised, so two orders can never take the same kilogram.
/// Freshness: lots are taken oldest first among those the chosen product still delivers fresh (its promised days plus
/// the lot's age within the product's shelf life, and no older than the profile's maximum lot age); when only older
/// stock would fill the order, 409 <c>freshness-at-risk</c> until the clerk packs with <c>allowOldLots</c>, and the
/// answer then carries the warning. A cold product colder than bitter melon bears is flagged.
/// Issues the batch's 承诺达标合格证 and hands the shipment to Dispatch with ShipmentRequested.
/// </summary>
public static class PackOrder
{
    public sealed record Request(bool AllowOldLots);

    public sealed record Shortage(string Grade, decimal RequestedKg, decimal AvailableKg);

    /// <summary>How fresh the batch reaches the buyer: the product's chain and promise against the oldest lot's age.</summary>
    public sealed record Freshness(
        string Product, string Chain, int PromisedDays, int ShelfLifeDays, DateOnly OldestHarvestedOn, int OldestLotAgeDays,
        bool WithinShelfLife, bool ChillingRisk, IReadOnlyList<string> Warnings);

    public sealed record Response(Guid OrderId, string CertificateNo, Freshness Freshness, IReadOnlyList<Box> Boxes);

    public static void Map(RouteGroupBuilder sales) => sales.MapPost("/orders/{id:guid}/pack", Pack).WithName("PackOrder").Problems(409, "insufficient-stock", "freshness-at-risk", "order-not-placed", ProblemTypes.ProfileRequired);

    private sealed record OrderRow(string Status, Guid BuyerId, long BoxNetGrams, int BoxLengthCm, int BoxWidthCm, int BoxHeightCm, string Product,
        string DestCity, string DestAddress, string DestContact, string DestPhone);

    private sealed record LotRow(Guid Id, long Available, Guid ReceiptId, Guid GrowerId, string MemberNo, string Village, Guid? ContractId, DateOnly HarvestedOn);

    private static async Task<Ok<Response>> Pack(Guid id, Request? request, Db db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var coop = user.CooperativeId();
        var order = await db.QuerySingleOrDefaultAsync<OrderRow>(
            $"""
            select {StatusSql} as status, buyer_id, box_net_grams, box_length_cm, box_width_cm, box_height_cm, product,
                   dest_city, dest_address, dest_contact, dest_phone
            from orders o where id = @Id and cooperative_id = @Coop for update
            """, new { Id = id, Coop = coop }, ct) ?? throw Problem.NotFound("order");
        if (order.Status != "placed") throw Problem.Conflict("order-not-placed", $"The order is {order.Status}; only a placed order is packed.");
        await LockStockAsync(db, coop, ct);

        var maxLotAge = (await Profile.Profile.RulesAsync(db, coop, ct)).MaxLotAgeDays;
        var care = ProductCare.Of(order.Product);
        var today = ChinaTime.Today(clock);
        var freshFrom = today.AddDays(-Math.Min(maxLotAge, care.ShelfLifeDays - care.PromisedDays));
        var cutoff = request?.AllowOldLots == true ? DateOnly.MinValue : freshFrom;
        var lines = await db.QueryAsync<(string Grade, long Grams)>("select grade, grams from order_lines where order_id = @Id order by grade", new { Id = id }, ct);
        var lots = new Dictionary<Guid, LotRow>();
        var boxes = new List<Packing.PackedBox>();
        var shortages = new List<Shortage>();
        foreach (var (grade, grams) in lines)
        {
            var available = await db.QueryAsync<LotRow>(
                """
                select l.id, l.grams - l.allocated_grams as available, l.receipt_id, l.grower_id, g.member_no, g.village, l.contract_id, l.harvested_on
                from lots l join growers g on g.id = l.grower_id
                where l.cooperative_id = @Coop and l.grade = @Grade and l.allocated_grams < l.grams and l.withdrawn_at is null and l.harvested_on >= @Cutoff
                order by l.harvested_on, l.graded_at, l.id
                """, new { Coop = coop, Grade = grade, Cutoff = cutoff }, ct);
            foreach (var lot in available) lots[lot.Id] = lot;
            var taken = Packing.Allocate(available.Select(l => new Packing.LotSlice(l.Id, l.Available)), grams);
            if (taken is null) shortages.Add(new Shortage(grade, Weight.ToKg(grams), Weight.ToKg(available.Sum(l => l.Available))));
            else boxes.AddRange(Packing.FillBoxes(grade, order.BoxNetGrams, taken));
        }
        if (shortages.Count > 0 && cutoff != DateOnly.MinValue && await OlderStockWouldFillAsync(db, coop, shortages, ct))
            throw Problem.Conflict("freshness-at-risk",
                $"Only lots harvested on or after {freshFrom:yyyy-MM-dd} reach the buyer fresh by {care.Product} ({care.PromisedDays} days promised, " +
                $"{care.ShelfLifeDays} days {care.Chain} shelf life, lots at most {maxLotAge} days old): " +
                string.Join("; ", shortages.Select(s => $"{s.Grade}: {s.RequestedKg} kg ordered, {s.AvailableKg} kg fresh enough")) +
                ". Pack with allowOldLots to use older lots, or choose a faster or colder product.",
                new Dictionary<string, object?> { ["shortages"] = shortages, ["freshFrom"] = freshFrom });
        if (shortages.Count > 0)
            throw Problem.Conflict("insufficient-stock", string.Join("; ", shortages.Select(s => $"{s.Grade}: {s.RequestedKg} kg ordered, {s.AvailableKg} kg available")),
                new Dictionary<string, object?> { ["shortages"] = shortages });

        var now = clock.GetUtcNow();
        var codes = boxes.Select(_ => Packing.NewTraceCode()).ToArray();
        var slices = boxes.SelectMany((b, i) => b.Sources.Select(s => (Code: codes[i], s.LotId, s.Grams))).ToList();
        await db.ExecuteAsync(
            """
            update lots l set allocated_grams = l.allocated_grams + t.grams
            from (select lot_id, sum(grams) as grams from unnest(@LotIds, @Grams) as x(lot_id, grams) group by lot_id) t where l.id = t.lot_id
            """, new { LotIds = slices.Select(s => s.LotId).ToArray(), Grams = slices.Select(s => s.Grams).ToArray() }, ct);
        await db.ExecuteAsync(
            "insert into boxes (trace_code, order_id, seq, grade, net_grams) select * from unnest(@Codes, @Orders, @Seqs, @Grades, @Nets)",
            new { Codes = codes, Orders = codes.Select(_ => id).ToArray(), Seqs = Enumerable.Range(1, codes.Length).ToArray(),
                  Grades = boxes.Select(b => b.Grade).ToArray(), Nets = boxes.Select(b => b.NetGrams).ToArray() }, ct);
        await db.ExecuteAsync(
            """
            insert into box_sources (trace_code, lot_id, grams, grower_id, under_contract)
            select x.trace_code, x.lot_id, x.grams, l.grower_id, l.contract_id is not null
            from unnest(@Codes, @LotIds, @Grams) as x(trace_code, lot_id, grams) join lots l on l.id = x.lot_id
            """,
            new { Codes = slices.Select(s => s.Code).ToArray(), LotIds = slices.Select(s => s.LotId).ToArray(), Grams = slices.Select(s => s.Grams).ToArray() }, ct);
        await db.ExecuteAsync("update orders set packed_at = @Now where id = @Id", new { Id = id, Now = now }, ct);
        var used = slices.Select(s => lots[s.LotId]).ToList();
        var certificateNo = await IssueCertificate.IssueAsync(db, coop, id, boxes.Sum(b => b.NetGrams), boxes.Count, used.Select(l => l.Village), now, ct);
        var freshness = FreshnessOf(care, used.Min(l => l.HarvestedOn), today);

        await db.Publish(new ShipmentRequested(Guid.NewGuid(), now, coop, id, order.BuyerId,
            new MelonChain.Messages.Cooperative.Destination(order.DestCity, order.DestAddress, order.DestContact, order.DestPhone), order.Product,
            boxes.Select((b, i) => new RequestedBox(codes[i], b.Grade, b.NetGrams, order.BoxLengthCm, order.BoxWidthCm, order.BoxHeightCm,
                b.Sources.Select(s => lots[s.LotId] is var l
                    ? new MelonChain.Messages.Cooperative.BoxSource(l.Id, l.ReceiptId, l.GrowerId, l.MemberNo, l.Village, l.ContractId, l.HarvestedOn, s.Grams)
                    : throw new InvalidOperationException()).ToList())).ToList()), ct);

        return TypedResults.Ok(new Response(id, certificateNo, freshness, boxes.Select((b, i) => new Box(codes[i], b.Grade, Weight.ToKg(b.NetGrams),
            b.Sources.Select(s => new Orders.BoxSource(s.LotId, lots[s.LotId].ReceiptId, lots[s.LotId].GrowerId, Weight.ToKg(s.Grams))).ToList())).ToList()));
    }

    /// <summary>
    /// The cooperative's stock lock, held to the end of the transaction: packings of one cooperative, and a grading
    /// reversal that withdraws lots, take it so that none of them allocates or withdraws lots another has just read.
    /// </summary>
    internal static Task LockStockAsync(Db db, string coop, CancellationToken ct) =>
        db.ExecuteAsync("select pg_advisory_xact_lock(hashtext('pack:' || @Coop))", new { Coop = coop }, ct);

    /// <summary>The product's promise plus the oldest lot's age against its shelf life, and the chilling flag.</summary>
    public static Freshness FreshnessOf(ProductCare care, DateOnly oldestHarvest, DateOnly today)
    {
        var age = Math.Max(0, today.DayNumber - oldestHarvest.DayNumber);
        var within = care.PromisedDays + age <= care.ShelfLifeDays;
        var warnings = new List<string>();
        if (!within)
            warnings.Add($"The oldest lot (harvested {oldestHarvest:yyyy-MM-dd}, {age} days old) plus {care.PromisedDays} days by {care.Product} " +
                         $"is beyond the {care.ShelfLifeDays}-day {care.Chain} shelf life.");
        if (care.ChillingRisk)
            warnings.Add($"{care.Product} runs as cold as {care.ColdestCelsius} °C: below {ProductCare.ChillingBelowCelsius} °C bitter melon suffers chilling injury.");
        return new Freshness(care.Product, care.Chain, care.PromisedDays, care.ShelfLifeDays, oldestHarvest, age, within, care.ChillingRisk, warnings);
    }

    private static async Task<bool> OlderStockWouldFillAsync(Db db, string coop, IEnumerable<Shortage> shortages, CancellationToken ct)
    {
        foreach (var s in shortages)
        {
            var all = await db.ExecuteScalarAsync<long>(
                "select coalesce(sum(grams - allocated_grams), 0) from lots where cooperative_id = @Coop and grade = @Grade and allocated_grams < grams and withdrawn_at is null",
                new { Coop = coop, s.Grade }, ct);
            if (all < Weight.ToGrams(s.RequestedKg)) return false;
        }
        return true;
    }
}
