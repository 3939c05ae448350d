-- Returned boxes come home: the clerk scans each returned box back in once, to restock (its lots' grams back in stock,
-- their harvest dates unchanged) or to write off (shrink of those lots, with a reason). A returned box not yet scanned
-- back is on its way back.
create table box_returns (
    trace_code     text        primary key references boxes (trace_code),
    cooperative_id text        not null,
    order_id       uuid        not null references orders (id),
    disposition    text        not null check (disposition in ('restock', 'write_off')),
    reason         text,
    returned_at    timestamptz not null,
    returned_by    text        not null,
    check (disposition = 'restock' or reason is not null)
);
create index box_returns_by_order on box_returns (order_id);
