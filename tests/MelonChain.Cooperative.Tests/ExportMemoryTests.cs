using System.Net;
using System.Net.Http.Headers;
using Dapper;
using Npgsql;

namespace MelonChain.Cooperative.Tests;

/// <summary>Run alone: the measurement is the whole test process's managed heap.</summary>
[CollectionDefinition(nameof(ExportMemoryTests), DisableParallelization = true)]
public sealed class ExportMemoryCollection;

/// <summary>
/// The exports write as they read: EPCIS and recall over ten times the rows hold about the same memory, not ten
/// times as much (the pod has 768 Mi; the benchmark measures the same at P5's season size). The measure is the peak of
/// the live managed heap (a full collection every few milliseconds while the export runs, the answer read as a stream
/// and thrown away), above what was live before the export started.
/// </summary>
[Collection(nameof(ExportMemoryTests))]
public class ExportMemoryTests(CooperativeFixture f) : IClassFixture<CooperativeFixture>
{
    /// <summary>Receipts of the small season; the large one has ten times as many (a box holds five receipts' lots).</summary>
    private const int EpcisSmall = 2_000, RecallSmall = 10_000;

    [Fact]
    public async Task The_epcis_export_of_ten_times_the_receipts_holds_about_the_same_memory()
    {
        var small = await SeasonAsync(EpcisSmall);
        var large = await SeasonAsync(EpcisSmall * 10);
        var period = $"from={CooperativeFixture.Today.AddDays(-1):yyyy-MM-dd}&to={CooperativeFixture.Today.AddDays(1):yyyy-MM-dd}";

        var (smallBytes, smallPeak) = await ExportAsync(small, $"/api/v1/cooperative/epcis?{period}", accept: null);
        var (largeBytes, largePeak) = await ExportAsync(large, $"/api/v1/cooperative/epcis?{period}", accept: null);

        AssertFlat("EPCIS", smallBytes, smallPeak, largeBytes, largePeak);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("text/csv")]
    public async Task The_recall_of_ten_times_the_boxes_holds_about_the_same_memory(string? accept)
    {
        var small = await SeasonAsync(RecallSmall);
        var large = await SeasonAsync(RecallSmall * 10);
        var harvested = $"harvestedFrom={CooperativeFixture.Today.AddDays(-1):yyyy-MM-dd}&harvestedTo={CooperativeFixture.Today:yyyy-MM-dd}";

        var (smallBytes, smallPeak) = await ExportAsync(small, $"/api/v1/cooperative/recall?{harvested}", accept);
        var (largeBytes, largePeak) = await ExportAsync(large, $"/api/v1/cooperative/recall?{harvested}", accept);

        AssertFlat("recall " + (accept ?? "JSON"), smallBytes, smallPeak, largeBytes, largePeak);
    }

    /// <summary>Ten times the answer in about the same memory: at most twice the small export's peak, plus 4 MB of slack for the host's own noise.</summary>
    private static void AssertFlat(string what, long smallBytes, long smallPeak, long largeBytes, long largePeak)
    {
        var mb = (long b) => $"{b / 1048576.0:F1} MB";
        var figures = $"{what}: {mb(smallBytes)} answered with a peak of {mb(smallPeak)} live; {mb(largeBytes)} with {mb(largePeak)}";
        Console.WriteLine(figures);
        Assert.True(largeBytes > 8 * smallBytes, $"ten times the rows answer about ten times the bytes ({figures})");
        Assert.True(largePeak < 2 * smallPeak + 4 * 1048576L, $"memory does not grow with the rows ({figures})");
    }

    /// <summary>Reads the answer as a stream, throwing it away, while sampling the live managed heap.</summary>
    private static async Task<(long Bytes, long PeakLive)> ExportAsync(ClerkSession c, string path, string? accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var peak = baseline;
        using var done = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true));
                await Task.Delay(5);
            }
        });
        long bytes = 0;
        try
        {
            using var response = await c.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await using var body = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await body.ReadAsync(buffer)) > 0) bytes += read;
        }
        finally
        {
            done.Cancel();
            await sampler;
        }
        return (bytes, peak - baseline);
    }

    /// <summary>
    /// A cooperative's season written straight into its tables (as the benchmark seeds P5): receipts graded into one
    /// lot each, five lots to a 10 kg box, twenty boxes to a collected order, a grower per 200 receipts; all today.
    /// </summary>
    private async Task<ClerkSession> SeasonAsync(int receipts)
    {
        var c = await f.NewCooperativeAsync();
        await using var db = new NpgsqlConnection(f.Db.ConnectionString);
        await db.OpenAsync();
        var boxes = receipts / 5;
        await db.ExecuteAsync(
            """
            insert into growers (id, cooperative_id, member_no, name, phone, village, kind, contract_id, registered_at)
            select md5(@Coop || 'g' || n)::uuid, @Coop, 'M' || lpad(n::text, 5, '0'), 'Grower ' || n, '138' || lpad(n::text, 8, '0'), 'Village',
                   'member', null, now()
            from generate_series(1, @G) n;
            insert into receipts (id, cooperative_id, receipt_no, grower_id, contract_id, harvested_on, gross_grams, crates, note, received_at, recorded_by)
            select md5(@Coop || 'r' || r)::uuid, @Coop, 'R' || r, md5(@Coop || 'g' || (r % @G + 1))::uuid, null, @Today, 2200, 1, null,
                   now() - interval '2 hours', 'test'
            from generate_series(0, @R - 1) r;
            insert into gradings (id, receipt_id, grading_no, cooperative_id, graded_grams, shrink_grams, graded_at, graded_by)
            select md5(@Coop || 'r' || r)::uuid, md5(@Coop || 'r' || r)::uuid, 1, @Coop, 2000, 200, now() - interval '1 hour', 'test'
            from generate_series(0, @R - 1) r;
            insert into lots (id, cooperative_id, receipt_id, grading_id, grower_id, contract_id, harvested_on, graded_at, grade, grams, fruit_count, allocated_grams)
            select md5(@Coop || 'l' || r)::uuid, @Coop, md5(@Coop || 'r' || r)::uuid, md5(@Coop || 'r' || r)::uuid, md5(@Coop || 'g' || (r % @G + 1))::uuid, null, @Today,
                   now() - interval '1 hour', (array['premium','grade1','grade2'])[(r / 5) % 3 + 1], 2000, null, 2000
            from generate_series(0, @R - 1) r;
            insert into buyers (id, cooperative_id, name, city, address, contact_name, phone, created_at)
            values (md5(@Coop || 'buyer')::uuid, @Coop, 'Beijing Fresh', 'Beijing', 'Xinfadi market', 'Wang', '13800000000', now());
            insert into orders (id, cooperative_id, buyer_id, dest_city, dest_address, dest_contact, dest_phone, box_net_grams, box_length_cm, box_width_cm,
                                box_height_cm, product, placed_at, packed_at, collected_at)
            select md5(@Coop || 'o' || o)::uuid, @Coop, md5(@Coop || 'buyer')::uuid, 'Beijing', 'Xinfadi market', 'Wang', '13800000000', 10000, 40, 30, 25,
                   'express', now() - interval '50 minutes', now() - interval '40 minutes', now() - interval '30 minutes'
            from generate_series(0, @O - 1) o;
            insert into boxes (trace_code, order_id, seq, grade, net_grams, waybill_no)
            select @Coop || '-B' || b, md5(@Coop || 'o' || (b / 20))::uuid, b % 20 + 1, (array['premium','grade1','grade2'])[b % 3 + 1], 10000,
                   'SF' || lpad(b::text, 10, '0')
            from generate_series(0, @B - 1) b;
            insert into box_sources (trace_code, lot_id, grams, grower_id, under_contract)
            select @Coop || '-B' || (r / 5), md5(@Coop || 'l' || r)::uuid, 2000, md5(@Coop || 'g' || (r % @G + 1))::uuid, false
            from generate_series(0, @B * 5 - 1) r;
            insert into order_lines (order_id, grade, grams, price_fen_per_kg)
            select b.order_id, b.grade, sum(b.net_grams), 900 from boxes b join orders o on o.id = b.order_id where o.cooperative_id = @Coop group by b.order_id, b.grade;
            """, new { Coop = c.CooperativeId, G = Math.Max(5, receipts / 200), R = receipts, B = boxes, O = (boxes + 19) / 20, Today = CooperativeFixture.Today });
        return c;
    }
}
