using MelonChain.Messages.Cooperative;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Messaging;

namespace MelonChain.Dispatch.Consumers;

/// <summary>Keeps each cooperative's sender from its profile: the newest version wins whatever order saves arrive in.</summary>
public sealed class CooperativeProfileSavedConsumer(Db db) : InboxConsumer<CooperativeProfileSaved>(db)
{
    protected override Task Handle(CooperativeProfileSaved m, Db db, CancellationToken ct) => db.ExecuteAsync(
        """
        insert into cooperative_senders (cooperative_id, name, short_name, contact_name, phone, province, city, county, street, version, saved_at)
        values (@CooperativeId, @Name, @ShortName, @ContactName, @Phone, @Province, @City, @County, @Street, @Version, @OccurredAt)
        on conflict (cooperative_id) do update set name = excluded.name, short_name = excluded.short_name,
            contact_name = excluded.contact_name, phone = excluded.phone, province = excluded.province, city = excluded.city,
            county = excluded.county, street = excluded.street, version = excluded.version, saved_at = excluded.saved_at
            where cooperative_senders.version < excluded.version
        """, new { m.CooperativeId, m.Name, m.ShortName, m.ContactName, m.Phone, m.Address.Province, m.Address.City, m.Address.County,
                   m.Address.Street, m.Version, m.OccurredAt }, ct);
}
