-- Settlement guards and reversal; a member account that explains every fen.

-- 冲销: the latest settlement may be reversed by the admin, with a reason; it stays on record, marked reversed.
alter table settlements add column reversed_at     timestamptz;
alter table settlements add column reversed_by     text;
alter table settlements add column reversal_reason text;
alter table settlements add constraint settlements_reversal_on_record
    check ((reversed_at is null) = (reversed_by is null) and (reversed_at is null) = (reversal_reason is null));

-- A statement whose deductions exceed the payout leaves the rest owed by the grower (owed_fen): it carries forward like
-- an advance and later statements net it. A row now also exists for a grower who owed nothing before the statement.
alter table statement_advances add column owed_fen bigint not null default 0 check (owed_fen >= 0);
alter table statement_advances drop constraint statement_advances_outstanding_fen_check;
alter table statement_advances drop constraint statement_advances_check1;
alter table statement_advances add constraint statement_advances_outstanding_fen_check check (outstanding_fen >= 0);
alter table statement_advances add constraint statement_advances_carried_check check (carried_fen = outstanding_fen - netted_fen + owed_fen);

-- Statements settled before today whose deductions exceeded the payout: the part that vanished is owed from now on.
with totals as (
    select l.settlement_id, l.grower_id,
           sum(l.payout_fen + l.top_up_fen) - coalesce((select sum(d.amount_fen) from statement_deductions d
                                                        where d.settlement_id = l.settlement_id and d.grower_id = l.grower_id), 0) as total_fen
    from statement_lines l group by l.settlement_id, l.grower_id
)
insert into statement_advances (settlement_id, grower_id, outstanding_fen, netted_fen, carried_fen, owed_fen)
select settlement_id, grower_id, 0, 0, -total_fen, -total_fen from totals where total_fen < 0
on conflict (settlement_id, grower_id) do update
    set owed_fen = excluded.owed_fen, carried_fen = statement_advances.carried_fen + excluded.owed_fen;

-- Every entry names its source: a settlement (payout, top-up, deduction, reversal), a surplus return, or itself.
alter table account_entries drop constraint account_entries_kind_check;
alter table account_entries add constraint account_entries_kind_check
    check (kind in ('settlement', 'deduction', 'top_up', 'payment', 'advance', 'surplus_return', 'reversal'));
alter table account_entries add column surplus_return_id uuid references surplus_returns (id);
update account_entries e set surplus_return_id = r.id from surplus_returns r
where e.kind = 'surplus_return' and r.cooperative_id = e.cooperative_id and e.note = 'surplus return ' || r.year || ' by volume';
create index account_entries_by_settlement on account_entries (settlement_id) where settlement_id is not null;

-- The latest delivery a cooperative recorded bounds a period's end where a carrier's clock runs ahead of today.
create index orders_by_delivered on orders (cooperative_id, delivered_at) where delivered_at is not null;
