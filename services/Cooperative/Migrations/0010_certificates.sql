-- 承诺达标合格证 of the cooperative itself: packing issues one numbered certificate per order batch, with the texts of
-- the cooperative's profile at that moment. A certificate is a record the law asks to keep for at least 6 months:
-- its content never changes and it cannot be deleted before keep_until. A cancelled order's certificate stays on
-- record, marked revoked.
create table certificate_counters (
    cooperative_id text not null,
    year           int  not null,
    last_no        int  not null,
    primary key (cooperative_id, year)
);

create table certificates (
    certificate_no  text        primary key,
    cooperative_id  text        not null,
    order_id        uuid        not null unique references orders (id),
    issued_on       date        not null,
    issued_at       timestamptz not null,
    product_name    text        not null,
    net_grams       bigint      not null check (net_grams > 0),
    boxes           int         not null check (boxes > 0),
    producer        text        not null,
    origin          text        not null,
    contact         text        not null,
    phone           text        not null,
    basis           text        not null,
    keep_until      date        not null,
    revoked_at      timestamptz,
    revoked_reason  text
);
create index certificates_by_day on certificates (cooperative_id, issued_on, certificate_no);

create function certificates_are_kept() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        if old.keep_until > current_date then
            raise exception 'certificate % is kept until %', old.certificate_no, old.keep_until using errcode = 'integrity_constraint_violation';
        end if;
        return old;
    end if;
    if (new.certificate_no, new.cooperative_id, new.order_id, new.issued_on, new.issued_at, new.product_name, new.net_grams, new.boxes,
        new.producer, new.origin, new.contact, new.phone, new.basis, new.keep_until)
       is distinct from
       (old.certificate_no, old.cooperative_id, old.order_id, old.issued_on, old.issued_at, old.product_name, old.net_grams, old.boxes,
        old.producer, old.origin, old.contact, old.phone, old.basis, old.keep_until) then
        raise exception 'certificate % is a record: only its revocation may be added', old.certificate_no using errcode = 'integrity_constraint_violation';
    end if;
    return new;
end $$;

create trigger certificates_are_kept before update or delete on certificates
    for each row execute function certificates_are_kept();
