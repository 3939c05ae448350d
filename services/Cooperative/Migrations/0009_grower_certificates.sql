-- 承诺达标合格证: a collector keeps the certificates its growers presented. Receiving records whether the grower
-- presented one with the delivery, and its number when it has one.
alter table receipts add column grower_certificate_presented boolean not null default false;
alter table receipts add column grower_certificate_no text;
