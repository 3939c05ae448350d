-- Each cooperative's name and certificate texts, a copy kept from CooperativeProfileSaved for the public trace page
-- (the newest version wins whatever the order; a rebuild replays it from the event log like every other event).
create table cooperative_profiles (
    cooperative_id        text primary key,
    name                  text not null,
    certificate_producer  text not null,
    certificate_origin    text not null,
    certificate_contact   text not null,
    certificate_basis     text not null,
    version               int  not null
);
