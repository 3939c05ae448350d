using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MelonChain.Messages;
using MelonChain.ServiceDefaults;

namespace MelonChain.Cooperative.Features.Compliance;

/// <summary>
/// The cooperative's chain as a GS1 EPCIS 2.0 document (JSON-LD), for a buyer's or a regulator's system:
/// receiving is an ObjectEvent (ADD: the harvest enters the cooperative's books), grading a TransformationEvent
/// (a receipt's gross kg into lots per grade), packing a TransformationEvent (lots into the order's boxes, under the
/// batch's 承诺达标合格证), boxing an AggregationEvent per box (the box and the kg of each lot in it), shipping an
/// ObjectEvent (OBSERVE) when the carrier collects, and a packed order cancelled before collection an ObjectEvent
/// (DELETE). A reversed grading is declared in error (EPCIS's errorDeclaration, the same eventID), naming its
/// correction. Without a GS1 company prefix the objects are named by URNs of the cooperative's own
/// (<c>urn:melonchain:{cooperative}:receipt:SX-20261117-0001</c>); each box by its public trace URL, which its label's
/// QR carries. Event IDs are derived from what they record, so exporting a period again yields the same IDs.
/// </summary>
public static class EpcisDocument
{
    public const string ContentType = "application/ld+json";
    public const string Gs1Context = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";
    /// <summary>The JSON-LD prefix of MelonChain's own fields (<c>mc:receiptNo</c>, <c>mc:grade</c>…).</summary>
    public const string Namespace = "urn:melonchain:epcis:";
    private const string Kg = "KGM";

    public sealed record Receipt(
        Guid Id, string ReceiptNo, string MemberNo, DateOnly HarvestedOn, long GrossGrams, int Crates, DateTimeOffset ReceivedAt, string? GrowerCertificateNo);

    public sealed record Lot(Guid Id, string Grade, long Grams, int? FruitCount);

    public sealed record Grading(
        Guid Id, string ReceiptNo, int GradingNo, long GrossGrams, DateTimeOffset GradedAt, IReadOnlyList<Lot> Lots,
        DateTimeOffset? ReversedAt, string? ReversalReason, Guid? CorrectedBy);

    public sealed record BoxContent(Guid LotId, long Grams);

    public sealed record Box(string TraceCode, string Grade, long NetGrams, string? WaybillNo, IReadOnlyList<BoxContent> Contents);

    public sealed record PackedOrder(
        Guid Id, Guid BuyerId, string DestinationCity, string Product, DateTimeOffset PackedAt, DateTimeOffset? CollectedAt, DateTimeOffset? CancelledAt,
        string? CertificateNo, IReadOnlyList<Box> Boxes);

    /// <summary>One step of the chain, as the export reads it: the event it becomes and the eventID it is ordered by.</summary>
    public abstract record Step(DateTimeOffset At, string EventId);
    public sealed record Received(DateTimeOffset At, string EventId, Receipt Receipt) : Step(At, EventId);
    public sealed record Graded(DateTimeOffset At, string EventId, Grading Grading) : Step(At, EventId);
    /// <summary>A grading reversed: the grading again, declared in error at its reversal.</summary>
    public sealed record GradingReversed(DateTimeOffset At, string EventId, Grading Grading) : Step(At, EventId);
    public sealed record Packed(DateTimeOffset At, string EventId, PackedOrder Order) : Step(At, EventId);
    /// <summary>One box of a packed order (its <see cref="PackedOrder.Boxes"/> need hold only that box).</summary>
    public sealed record Boxed(DateTimeOffset At, string EventId, PackedOrder Order, Box Box) : Step(At, EventId);
    public sealed record Collected(DateTimeOffset At, string EventId, PackedOrder Order) : Step(At, EventId);
    /// <summary>A packed order cancelled before collection.</summary>
    public sealed record Unpacked(DateTimeOffset At, string EventId, PackedOrder Order) : Step(At, EventId);

    /// <summary>
    /// Writes the document as the steps arrive, each event as soon as it is read, flushing every
    /// <paramref name="flushBytes"/>: nothing but one step is held, whatever the period. The steps must come in the
    /// document's order, by time and then eventID (ordinal); each step's eventID is checked against the event's own.
    /// </summary>
    public static async Task WriteAsync(
        Stream body, string cooperativeId, string traceBaseUrl, DateTimeOffset createdAt, IAsyncEnumerable<Step> steps,
        CancellationToken ct, int flushBytes = 32 * 1024)
    {
        var ids = new Names(cooperativeId, traceBaseUrl);
        await using var json = new Utf8JsonWriter(body);
        json.WriteStartObject();
        json.WritePropertyName("@context");
        new JsonArray(Gs1Context, new JsonObject { ["mc"] = Namespace }).WriteTo(json);
        json.WriteString("type", "EPCISDocument");
        json.WriteString("schemaVersion", "2.0");
        json.WriteString("creationDate", Time(createdAt));
        json.WriteString("sender", ids.Cooperative);
        json.WritePropertyName("epcisBody");
        json.WriteStartObject();
        json.WritePropertyName("eventList");
        json.WriteStartArray();
        (DateTimeOffset At, string Id)? previous = null;
        await foreach (var step in steps.WithCancellation(ct))
        {
            var e = step switch
            {
                Received r => Receiving(ids, r.Receipt),
                Graded g => Grade(ids, g.Grading),
                GradingReversed g => DeclaredInError(ids, g.Grading),
                Packed p => Packing(ids, p.Order),
                Boxed b => Boxing(ids, b.Order, b.Box),
                Collected c => Shipping(ids, c.Order),
                Unpacked u => Unpacking(ids, u.Order),
                _ => throw new InvalidOperationException($"Unknown step {step.GetType().Name}"),
            };
            var id = (string)e["eventID"]!;
            if (id != step.EventId)
                throw new InvalidOperationException($"The step was ordered by eventID {step.EventId}, its event is {id}.");
            if (previous is { } last && (step.At < last.At || step.At == last.At && string.CompareOrdinal(id, last.Id) < 0))
                throw new InvalidOperationException($"Steps out of order: {id} at {step.At:O} after {last.Id} at {last.At:O}.");
            previous = (step.At, id);
            e.WriteTo(json);
            if (json.BytesPending >= flushBytes) await json.FlushAsync(ct);
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
        await json.FlushAsync(ct);
    }

    private static JsonObject Receiving(Names ids, Receipt r)
    {
        var e = Event("ObjectEvent", ids.EventId("receiving", r.Id), r.ReceivedAt);
        e["action"] = "ADD";
        e["bizStep"] = "receiving";
        e["disposition"] = "in_progress";
        e["epcList"] = new JsonArray();
        e["quantityList"] = new JsonArray(Quantity(ids.Receipt(r.ReceiptNo), r.GrossGrams));
        Place(ids, e);
        e["sourceList"] = new JsonArray(new JsonObject { ["type"] = "owning_party", ["source"] = ids.Member(r.MemberNo) });
        e["destinationList"] = new JsonArray(new JsonObject { ["type"] = "owning_party", ["destination"] = ids.Cooperative });
        if (r.GrowerCertificateNo is { } certificate) e["certificationInfo"] = ids.GrowerCertificate(certificate);
        e["ilmd"] = new JsonObject { ["mc:harvestDate"] = r.HarvestedOn.ToString("yyyy-MM-dd"), ["mc:memberNo"] = r.MemberNo };
        e["mc:receiptNo"] = r.ReceiptNo;
        e["mc:crates"] = r.Crates;
        return e;
    }

    private static JsonObject Grade(Names ids, Grading g)
    {
        var e = Event("TransformationEvent", ids.EventId("grading", g.Id), g.GradedAt);
        e["bizStep"] = "inspecting";
        e["disposition"] = "active";
        e["inputQuantityList"] = new JsonArray(Quantity(ids.Receipt(g.ReceiptNo), g.GrossGrams));
        e["outputQuantityList"] = new JsonArray(g.Lots.Select(l => (JsonNode)Quantity(ids.Lot(l.Id), l.Grams)).ToArray());
        Place(ids, e);
        e["mc:receiptNo"] = g.ReceiptNo;
        e["mc:gradingNo"] = g.GradingNo;
        e["mc:lots"] = new JsonArray(g.Lots.Select(l => (JsonNode)new JsonObject
        {
            ["lot"] = ids.Lot(l.Id), ["grade"] = l.Grade, ["gradeName"] = Grades.ChineseName(l.Grade), ["fruitCount"] = l.FruitCount,
        }).ToArray());
        return e;
    }

    /// <summary>The grading again, with the same eventID, declared in error at its reversal (EPCIS 2.0 §7.4.1.3).</summary>
    private static JsonObject DeclaredInError(Names ids, Grading g)
    {
        var e = Grade(ids, g);
        var declaration = new JsonObject
        {
            ["declarationTime"] = Time(g.ReversedAt!.Value),
            ["reason"] = "incorrect_data",
            ["mc:reason"] = g.ReversalReason,
        };
        if (g.CorrectedBy is { } next) declaration["correctiveEventIDs"] = new JsonArray(ids.EventId("grading", next));
        e["errorDeclaration"] = declaration;
        return e;
    }

    private static JsonObject Packing(Names ids, PackedOrder o)
    {
        var e = Event("TransformationEvent", ids.EventId("packing", o.Id), o.PackedAt);
        e["bizStep"] = "commissioning";
        e["disposition"] = "active";
        e["inputQuantityList"] = new JsonArray(o.Boxes.SelectMany(b => b.Contents).GroupBy(c => c.LotId)
            .Select(lot => (JsonNode)Quantity(ids.Lot(lot.Key), lot.Sum(c => c.Grams))).ToArray());
        e["outputEPCList"] = new JsonArray(o.Boxes.Select(b => (JsonNode)ids.Box(b.TraceCode)).ToArray());
        Place(ids, e);
        e["bizTransactionList"] = new JsonArray(Order(ids, o));
        if (o.CertificateNo is { } no)
        {
            e["certificationInfo"] = ids.Certificate(no);
            e["mc:certificateNo"] = no;
        }
        e["mc:product"] = o.Product;
        return e;
    }

    private static JsonObject Boxing(Names ids, PackedOrder o, Box b)
    {
        var e = Event("AggregationEvent", ids.EventId("boxing", b.TraceCode), o.PackedAt);
        e["action"] = "ADD";
        e["bizStep"] = "packing";
        e["disposition"] = "in_progress";
        e["parentID"] = ids.Box(b.TraceCode);
        e["childQuantityList"] = new JsonArray(b.Contents.Select(c => (JsonNode)Quantity(ids.Lot(c.LotId), c.Grams)).ToArray());
        Place(ids, e);
        e["bizTransactionList"] = new JsonArray(Order(ids, o));
        e["mc:traceCode"] = b.TraceCode;
        e["mc:grade"] = b.Grade;
        e["mc:netKg"] = Weight.ToKg(b.NetGrams);
        return e;
    }

    private static JsonObject Shipping(Names ids, PackedOrder o)
    {
        var e = Event("ObjectEvent", ids.EventId("shipping", o.Id), o.CollectedAt!.Value);
        e["action"] = "OBSERVE";
        e["bizStep"] = "shipping";
        e["disposition"] = "in_transit";
        e["epcList"] = new JsonArray(o.Boxes.Select(b => (JsonNode)ids.Box(b.TraceCode)).ToArray());
        Place(ids, e);
        var transactions = new JsonArray(Order(ids, o));
        foreach (var waybill in o.Boxes.Select(b => b.WaybillNo).OfType<string>().Distinct())
            transactions.Add(new JsonObject { ["type"] = "bol", ["bizTransaction"] = ids.Waybill(waybill) });
        e["bizTransactionList"] = transactions;
        e["sourceList"] = new JsonArray(new JsonObject { ["type"] = "owning_party", ["source"] = ids.Cooperative });
        e["destinationList"] = new JsonArray(new JsonObject { ["type"] = "owning_party", ["destination"] = ids.Buyer(o.BuyerId) });
        e["mc:destinationCity"] = o.DestinationCity;
        return e;
    }

    private static JsonObject Unpacking(Names ids, PackedOrder o)
    {
        var e = Event("ObjectEvent", ids.EventId("unpacking", o.Id), o.CancelledAt!.Value);
        e["action"] = "DELETE";
        e["bizStep"] = "decommissioning";
        e["disposition"] = "inactive";
        e["epcList"] = new JsonArray(o.Boxes.Select(b => (JsonNode)ids.Box(b.TraceCode)).ToArray());
        Place(ids, e);
        e["bizTransactionList"] = new JsonArray(Order(ids, o));
        return e;
    }

    private static JsonObject Event(string type, string eventId, DateTimeOffset at) => new()
    {
        ["type"] = type,
        ["eventID"] = eventId,
        ["eventTime"] = Time(at),
        ["eventTimeZoneOffset"] = "+08:00",
    };

    private static void Place(Names ids, JsonObject e)
    {
        e["readPoint"] = new JsonObject { ["id"] = ids.Cooperative };
        e["bizLocation"] = new JsonObject { ["id"] = ids.Cooperative };
    }

    private static JsonObject Order(Names ids, PackedOrder o) => new() { ["type"] = "po", ["bizTransaction"] = ids.Order(o.Id) };

    private static JsonObject Quantity(string epcClass, long grams) => new() { ["epcClass"] = epcClass, ["quantity"] = Weight.ToKg(grams), ["uom"] = Kg };

    /// <summary>An instant as EPCIS writes it: China time with its offset, to the millisecond.</summary>
    public static string Time(DateTimeOffset at) => ChinaTime.ToChina(at).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>What every name of the cooperative's own objects and events begins with.</summary>
    public static string Prefix(string cooperative) => "urn:melonchain:" + Uri.EscapeDataString(cooperative) + ":";

    /// <summary>
    /// <see cref="Names.EventId"/> in SQL, as the 16 bytes of the UUID (ordered as the eventID's text is, ordinally), from
    /// the columns <c>step</c> and <c>what</c> of <c>c</c> and the parameter <c>@Prefix</c> (<see cref="Prefix"/>): the
    /// export has the database order the events, so none is held to be sorted.
    /// </summary>
    public const string EventKeySql =
        """
        (select set_byte(set_byte(substring(h from 1 for 16), 6, (get_byte(h, 6) & 15) | 128), 8, (get_byte(h, 8) & 63) | 128)
         from (select sha256(convert_to(@Prefix || c.step || ':' || c.what, 'UTF8')) as h) hashed)
        """;

    /// <summary>The names of the cooperative's objects, parties and events.</summary>
    private sealed class Names(string cooperative, string traceBaseUrl)
    {
        private readonly string _prefix = Prefix(cooperative);

        public string Cooperative => "urn:melonchain:cooperative:" + Uri.EscapeDataString(cooperative);
        public string Receipt(string receiptNo) => _prefix + "receipt:" + Uri.EscapeDataString(receiptNo);
        public string Member(string memberNo) => _prefix + "member:" + Uri.EscapeDataString(memberNo);
        public string Lot(Guid id) => _prefix + "lot:" + id;
        public string Order(Guid id) => _prefix + "order:" + id;
        public string Buyer(Guid id) => _prefix + "buyer:" + id;
        public string Certificate(string no) => _prefix + "certificate:" + Uri.EscapeDataString(no);
        public string GrowerCertificate(string no) => _prefix + "grower-certificate:" + Uri.EscapeDataString(no);
        public string Waybill(string no) => "urn:melonchain:waybill:" + Uri.EscapeDataString(no);
        public string Box(string traceCode) => PrintLabels.TraceUrl(traceBaseUrl, traceCode);

        /// <summary>A name-based UUID of what the event records (RFC 9562 version 8, SHA-256), so the same event keeps its ID.</summary>
        public string EventId(string step, object what)
        {
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{_prefix}{step}:{what}"))[..16];
            hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
            hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
            return "urn:uuid:" + new Guid(hash, bigEndian: true);
        }
    }
}
